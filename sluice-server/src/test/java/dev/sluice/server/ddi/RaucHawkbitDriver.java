package dev.sluice.server.ddi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.rauc.RaucSystem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A conformance driver that speaks DDI the way rauc-hawkbit-updater 1.4 does (from its documented
 * behaviour and its source, which it does not copy): each poll, it sends its configured device
 * attributes only when the poll offers {@code configData}; for a {@code deploymentBase} it fetches
 * the deployment, takes the one chunk and its one artifact, downloads it from the {@code download}
 * link, checks its SHA-1, reports progress as {@code proceeding}, and then either reports {@code
 * downloaded} (when told {@code update: skip}) or installs the bundle through RAUC's D-Bus API and
 * reports one {@code closed} with success or failure. It never confirms anything after a reboot: it
 * does not remember actions across restarts, and has no confirmation step. It processes every
 * deployment it is offered (the real updater reinstalled an offered action again and again).
 *
 * <p>Its attributes come from its configuration file, which lives in the root file system: the
 * driver reports {@code sw_version} as the version RAUC recorded for the booted slot (the config of
 * that slot's image), or the factory version before any installation.
 */
final class RaucHawkbitDriver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI server;
  private final String base;
  private final String token;
  private final RaucSystem rauc;
  private final Path downloads;
  private final String factoryVersion;
  private final List<String> log = new ArrayList<>();
  private int installs;

  RaucHawkbitDriver(
      URI server,
      String controllerId,
      String token,
      RaucSystem rauc,
      Path downloads,
      String factoryVersion) {
    this.server = server;
    this.base = "/DEFAULT/controller/v1/" + controllerId;
    this.token = token;
    this.rauc = rauc;
    this.downloads = downloads;
    this.factoryVersion = factoryVersion;
  }

  /** How many times this driver invoked RAUC's installer. */
  int installs() {
    return installs;
  }

  /** What it did, one line per request. */
  List<String> log() {
    return List.copyOf(log);
  }

  /** One poll of the base resource and whatever it asks for. */
  void pollOnce() {
    JsonNode poll = json(request("GET", base, null));
    JsonNode links = poll.path("_links");
    if (links.has("configData")) {
      identify(links.path("configData").path("href").asText());
    }
    if (links.has("deploymentBase")) {
      deploy(links.path("deploymentBase").path("href").asText());
    }
    if (links.has("cancelAction")) {
      throw new AssertionError("not expected in these tests: " + poll);
    }
  }

  private void identify(String href) {
    ObjectNode body = status(null, null, "success", "closed");
    ObjectNode data = body.putObject("data");
    data.put("sw_version", rauc.bootedVersion().orElse(factoryVersion));
    data.put("compatible", rauc.status().path("compatible").asText());
    expect200(request("PUT", path(href), body));
  }

  private void deploy(String href) {
    JsonNode deployment = json(request("GET", path(href), null));
    String id = deployment.path("id").asText();
    String feedback = base + "/deploymentBase/" + id + "/feedback";
    if (deployment.at("/deployment/download").asText().equals("skip")) {
      return;
    }
    boolean install = !deployment.at("/deployment/update").asText().equals("skip");
    JsonNode chunks = deployment.at("/deployment/chunks");
    if (chunks.size() != 1 || chunks.get(0).path("artifacts").size() != 1) {
      expect200(
          request(
              "POST",
              feedback,
              status(id, "Deployment unsupported: one chunk, one artifact", "failure", "closed")));
      return;
    }
    JsonNode artifact = chunks.get(0).path("artifacts").get(0);
    String url = artifact.at("/_links/download/href").asText(null);
    if (url == null) {
      url = artifact.at("/_links/download-http/href").asText();
    }
    Path bundle = downloads.resolve("bundle-" + id + ".raucb");
    HttpResponse<Path> got = send(get(path(url)), HttpResponse.BodyHandlers.ofFile(bundle));
    if (got.statusCode() != 200) {
      throw new AssertionError("download answered " + got.statusCode());
    }
    expect200(request("POST", feedback, status(id, "Download complete.", "none", "proceeding")));
    if (!sha1(bundle).equals(artifact.at("/hashes/sha1").asText())) {
      expect200(request("POST", feedback, status(id, "Invalid checksum", "failure", "closed")));
      return;
    }
    if (!install) {
      expect200(
          request("POST", feedback, status(id, "File checksum OK.", "success", "downloaded")));
      return;
    }
    expect200(request("POST", feedback, status(id, "File checksum OK.", "none", "proceeding")));
    installs++;
    int result = rauc.install(bundle);
    String error = rauc.lastError();
    boolean ok = result == 0;
    expect200(
        request(
            "POST",
            feedback,
            status(
                id,
                ok ? "Software bundle installed successfully." : "Failed to install: " + error,
                ok ? "success" : "failure",
                "closed")));
  }

  /** rauc-hawkbit-updater's body: {@code id}, a UTC {@code time}, status with one detail. */
  private static ObjectNode status(String id, String detail, String finished, String execution) {
    ObjectNode body = JSON.createObjectNode();
    if (id != null) {
      body.put("id", id);
    }
    body.put("time", ZonedDateTime.now(ZoneOffset.UTC).format(TIME));
    ObjectNode status = body.putObject("status");
    status.putObject("result").put("finished", finished);
    status.put("execution", execution);
    if (detail != null) {
      ArrayNode details = status.putArray("details");
      details.add(detail);
    }
    return body;
  }

  private HttpResponse<byte[]> request(String method, String path, JsonNode body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path));
    b.header("Authorization", "TargetToken " + token);
    b.header("Accept", "application/json");
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json;charset=UTF-8");
      try {
        b.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    HttpResponse<byte[]> r = send(b, HttpResponse.BodyHandlers.ofByteArray());
    log.add(method + " " + path + " -> " + r.statusCode() + (body == null ? "" : " " + body));
    return r;
  }

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(server.resolve(path))
        .header("Authorization", "TargetToken " + token)
        .GET();
  }

  private <T> HttpResponse<T> send(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(b.build(), handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<byte[]> r) {
    expect200(r);
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void expect200(HttpResponse<byte[]> r) {
    if (r.statusCode() != 200) {
      throw new AssertionError(
          r.request().method()
              + " "
              + r.uri()
              + " answered "
              + r.statusCode()
              + ": "
              + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static String path(String href) {
    URI uri = URI.create(href);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static String sha1(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
