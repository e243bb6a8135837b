package dev.sluice.store.blob;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where an S3-compatible blob store keeps its objects: a bucket, a key prefix (empty or ending in
 * {@code /}), the service endpoint (AWS's regional one when absent; MinIO, Ceph RGW and others name
 * theirs), the region to sign for, and whether buckets are addressed in the path (most non-AWS
 * stores) rather than the host name. Written as {@code
 * s3://bucket/prefix?endpoint=http://minio:9000&region=us-east-1&path-style=true}. Credentials are
 * never part of it.
 */
public record S3Location(
    String bucket, String prefix, Optional<URI> endpoint, String region, boolean pathStyle) {
  // S3's bucket naming rules (lower case, digits, dots and hyphens, 3 to 63 characters).
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9!_.*'()-]+/)*");
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,40}");
  public static final String DEFAULT_REGION = "us-east-1";

  public S3Location {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(region, "region");
    if (!BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException(
          "the bucket name must be 3 to 63 lower-case letters, digits, dots or hyphens: " + bucket);
    }
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "the key prefix must be path segments of letters, digits and !_.*'()- each ending in"
              + " '/', e.g. sluice/prod/: "
              + prefix);
    }
    if (!REGION.matcher(region).matches()) {
      throw new IllegalArgumentException("the region must look like eu-west-1: " + region);
    }
    endpoint.ifPresent(
        e -> {
          if (!"http".equals(e.getScheme()) && !"https".equals(e.getScheme())
              || e.getHost() == null) {
            throw new IllegalArgumentException(
                "the endpoint must be an http:// or https:// URL with a host: " + e);
          }
          if (e.getUserInfo() != null) {
            throw new IllegalArgumentException(
                "the endpoint must not carry credentials; give them in the environment or the"
                    + " credentials file");
          }
        });
  }

  /**
   * Parses {@code s3://bucket[/prefix][?endpoint=URL&region=REGION&path-style=true|false]}; the
   * prefix gets a trailing {@code /}; path-style defaults to true when an endpoint is named.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static S3Location parse(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a blob store URL: " + e.getMessage(), e);
    }
    if (!"s3".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "a blob store URL looks like s3://bucket/prefix?endpoint=https://host&region=eu-west-1");
    }
    if (uri.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "the blob store URL must not carry credentials; give them in the environment"
              + " (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or the credentials file");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String prefix = path.replaceAll("^/+", "");
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
    Map<String, String> query = query(uri.getRawQuery());
    Optional<URI> endpoint = Optional.ofNullable(query.remove("endpoint")).map(URI::create);
    String region = Optional.ofNullable(query.remove("region")).orElse(DEFAULT_REGION);
    String pathStyle = query.remove("path-style");
    if (pathStyle != null && !pathStyle.equals("true") && !pathStyle.equals("false")) {
      throw new IllegalArgumentException("path-style is true or false, not " + pathStyle);
    }
    if (!query.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown blob store URL parameter(s) "
              + query.keySet()
              + "; known: endpoint, region, path-style");
    }
    boolean style = pathStyle == null ? endpoint.isPresent() : Boolean.parseBoolean(pathStyle);
    return new S3Location(uri.getHost(), prefix, endpoint, region, style);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return values;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("a blob store URL parameter is name=value: " + pair);
      }
      String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (values.put(name, value) != null) {
        throw new IllegalArgumentException("the blob store URL names " + name + " twice");
      }
    }
    return values;
  }

  /** The key of the blob with this hex digest. */
  String blobKey(String hex) {
    return prefix + "sha256/" + hex;
  }

  /** Where blobs are listed. */
  String blobPrefix() {
    return prefix + "sha256/";
  }

  /** Where uploads are staged before their digest is checked. */
  String stagingPrefix() {
    return prefix + "staging/";
  }

  @Override
  public String toString() {
    return "s3://"
        + bucket
        + "/"
        + prefix
        + endpoint.map(e -> "?endpoint=" + e + "&region=" + region).orElse("?region=" + region)
        + (pathStyle ? "&path-style=true" : "");
  }
}
