package dev.sluice.trust.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Everything needed to verify one release's chain with no network (docs/verify.md): the TUF
 * metadata files a client fetched, the log checkpoint, and the log tiles and entry bundles the
 * verification read (all hash tiles of the tree, so proofs can be recomputed). Artifact files are
 * not included. A bundle is untrusted input like any server: it is verified against the pinned root
 * and log key, never trusted for its own sake.
 *
 * <pre>{@code
 * {"format": "sluice.verify-bundle/v1", "release_id": "…", "server": "https://…",
 *  "created": "2026-12-07T08:00:00Z",
 *  "tuf": {"1.root.json": "<base64>", "timestamp.json": "<base64>", …},
 *  "log": {"checkpoint": "<signed note>", "tiles": {"tile/0/000.p/9": "<base64>", …}}}
 * }</pre>
 */
public record VerifyBundle(
    String releaseId,
    String server,
    String created,
    Map<String, byte[]> tuf,
    byte[] checkpoint,
    Map<String, byte[]> tiles) {

  public static final String FORMAT = "sluice.verify-bundle/v1";
  private static final Pattern TUF_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
  private static final Pattern TILE = Pattern.compile("tile/[a-z0-9./x]{1,100}");

  public VerifyBundle {
    Objects.requireNonNull(releaseId, "releaseId");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(created, "created");
    tuf = copy(tuf);
    checkpoint = checkpoint.clone();
    tiles = copy(tiles);
  }

  @Override
  public byte[] checkpoint() {
    return checkpoint.clone();
  }

  /** The bundle as JSON with sorted keys, one field per line at the top. */
  public byte[] toBytes() {
    ObjectNode json = CanonicalJson.mapper().createObjectNode();
    json.put("format", FORMAT);
    json.put("release_id", releaseId);
    json.put("server", server);
    json.put("created", created);
    ObjectNode tufJson = json.putObject("tuf");
    tuf.forEach((name, bytes) -> tufJson.put(name, Base64.getEncoder().encodeToString(bytes)));
    ObjectNode log = json.putObject("log");
    log.put("checkpoint", new String(checkpoint, StandardCharsets.UTF_8));
    ObjectNode tilesJson = log.putObject("tiles");
    tiles.forEach((path, bytes) -> tilesJson.put(path, Base64.getEncoder().encodeToString(bytes)));
    return (json.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a bundle.
   *
   * @throws IllegalArgumentException naming what is wrong if it is not a bundle of this format
   */
  public static VerifyBundle parse(byte[] bytes) {
    JsonNode json;
    try {
      json = CanonicalJson.mapper().readTree(bytes);
    } catch (java.io.IOException | TrustException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    if (json == null || !json.isObject() || !FORMAT.equals(json.path("format").asText())) {
      throw new IllegalArgumentException("not a bundle of format " + FORMAT);
    }
    Map<String, byte[]> tuf = files(json.path("tuf"), TUF_FILE, "tuf");
    JsonNode log = json.path("log");
    if (!log.path("checkpoint").isTextual()) {
      throw new IllegalArgumentException("log.checkpoint is missing");
    }
    return new VerifyBundle(
        text(json, "release_id"),
        text(json, "server"),
        text(json, "created"),
        tuf,
        log.path("checkpoint").textValue().getBytes(StandardCharsets.UTF_8),
        files(log.path("tiles"), TILE, "log.tiles"));
  }

  private static String text(JsonNode json, String field) {
    if (!json.path(field).isTextual()) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return json.path(field).textValue();
  }

  private static Map<String, byte[]> files(JsonNode json, Pattern names, String what) {
    if (!json.isObject()) {
      throw new IllegalArgumentException(what + " is not an object");
    }
    Map<String, byte[]> files = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : json.properties()) {
      if (!names.matcher(e.getKey()).matches() || e.getKey().contains("..")) {
        throw new IllegalArgumentException(what + " holds a bad file name: " + e.getKey());
      }
      try {
        files.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText()));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(what + "." + e.getKey() + " is not base64");
      }
    }
    return files;
  }

  private static Map<String, byte[]> copy(Map<String, byte[]> files) {
    Map<String, byte[]> copy = new TreeMap<>();
    files.forEach((k, v) -> copy.put(k, v.clone()));
    return java.util.Collections.unmodifiableMap(copy);
  }
}
