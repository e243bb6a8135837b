package dev.sluice.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The device side of hawkBit DDI v1 (docs/ddi.md) under {@code
 * /{tenant}/controller/v1/{controllerId}}, authenticated with {@code TargetToken}. Answers are
 * untrusted: they say what to fetch, never what to install (the {@link ChainVerifier} decides).
 */
public final class DdiClient {
  private static final long MAX_ANSWER = 1 << 20;

  private final AgentHttp http;
  private final URI server;
  private final String base;
  private final String authorization;

  public DdiClient(AgentHttp http, URI server, String tenant, String controllerId, String token) {
    this.http = http;
    this.server = server;
    this.base = server + "/" + tenant + "/controller/v1/" + controllerId;
    this.authorization = "TargetToken " + token;
  }

  public String authorization() {
    return authorization;
  }

  /** The poll answer: {@code config.polling.sleep} and the links. */
  public record Poll(
      Optional<Duration> sleep,
      Optional<URI> deploymentBase,
      Optional<URI> cancelAction,
      Optional<URI> configData) {}

  /** One artifact of the deployment's chunk. */
  public record Artifact(String filename, long size, URI download) {}

  /**
   * A {@code deploymentBase} answer: the action, whether to install now ({@code update} not {@code
   * skip}), and the release it offers (product = chunk {@code name}).
   */
  public record Deployment(
      String actionId,
      boolean installNow,
      String product,
      String version,
      Optional<String> releaseId,
      List<Artifact> artifacts) {}

  public Poll poll() {
    JsonNode json = getJson(URI.create(base));
    JsonNode links = json.path("_links");
    String sleep = json.path("config").path("polling").path("sleep").asText("");
    return new Poll(
        parseSleep(sleep),
        link(links, "deploymentBase"),
        link(links, "cancelAction"),
        link(links, "configData"));
  }

  public Deployment deployment(URI link) {
    JsonNode json = getJson(link);
    String id = json.path("id").asText("");
    JsonNode deployment = json.path("deployment");
    JsonNode chunk = deployment.path("chunks").path(0);
    if (id.isEmpty() || !chunk.isObject()) {
      throw new ServerException("the deploymentBase answer has no id or no chunk");
    }
    boolean window = !deployment.path("maintenanceWindow").asText("").equals("unavailable");
    boolean install = !deployment.path("update").asText("forced").equals("skip") && window;
    List<Artifact> artifacts = new ArrayList<>();
    for (JsonNode a : chunk.path("artifacts")) {
      Optional<URI> download =
          link(a.path("_links"), "download-http").or(() -> link(a.path("_links"), "download"));
      artifacts.add(
          new Artifact(
              a.path("filename").asText(),
              a.path("size").asLong(-1),
              download.orElseThrow(() -> new ServerException("an artifact has no download link"))));
    }
    JsonNode releaseId = chunk.path("metadata");
    Optional<String> release = Optional.empty();
    for (JsonNode m : releaseId) {
      if (m.path("key").asText().equals("release_id")) {
        release = Optional.of(m.path("value").asText());
      }
    }
    if (releaseId.isObject() && releaseId.has("release_id")) {
      release = Optional.of(releaseId.get("release_id").asText());
    }
    return new Deployment(
        id,
        install,
        chunk.path("name").asText(),
        chunk.path("version").asText(),
        release,
        artifacts);
  }

  /** The action the server asks to cancel ({@code cancelAction.stopId}). */
  public String cancelTarget(URI link) {
    return getJson(link).path("cancelAction").path("stopId").asText("");
  }

  /**
   * {@code POST .../deploymentBase/{id}/feedback}. A 410 (the action is closed already) is not an
   * error: the server has what it needs.
   */
  public void feedback(
      String actionId, String execution, String finished, Optional<int[]> progress, String detail) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("id", actionId);
    ObjectNode status = body.putObject("status");
    status.put("execution", execution);
    ObjectNode result = status.putObject("result");
    result.put("finished", finished);
    progress.ifPresent(p -> result.putObject("progress").put("cnt", p[0]).put("of", p[1]));
    status.putArray("details").add(detail.length() > 2000 ? detail.substring(0, 2000) : detail);
    post("/deploymentBase/" + actionId + "/feedback", body, true);
  }

  /** {@code POST .../cancelAction/{id}/feedback}: closed/success acknowledges the cancel. */
  public void cancelFeedback(String actionId, String detail) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("id", actionId);
    ObjectNode status = body.putObject("status");
    status.put("execution", "closed");
    status.putObject("result").put("finished", "success");
    status.putArray("details").add(detail);
    post("/cancelAction/" + actionId + "/feedback", body, true);
  }

  /** {@code PUT .../configData} merging attributes (the running version, for instance). */
  public void configData(Map<String, String> attributes) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("mode", "merge");
    ObjectNode data = body.putObject("data");
    attributes.forEach(data::put);
    send(
        HttpRequest.newBuilder(URI.create(base + "/configData"))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(body))),
        false);
  }

  /** {@code PUT .../installedBase}: the version the device runs. */
  public void installedBase(String version) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("version", version);
    send(
        HttpRequest.newBuilder(URI.create(base + "/installedBase"))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(body))),
        false);
  }

  private void post(String path, ObjectNode body, boolean goneIsFine) {
    send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body))),
        goneIsFine);
  }

  private void send(HttpRequest.Builder request, boolean goneIsFine) {
    HttpRequest built =
        request.header("Authorization", authorization).timeout(Duration.ofSeconds(30)).build();
    AgentHttp.Response r = http.send(built);
    if (r.status() / 100 != 2 && !(goneIsFine && r.status() == 410)) {
      throw new ServerException(
          built.method() + " " + built.uri().getPath() + " answered " + r.status(),
          r.status(),
          null);
    }
  }

  private JsonNode getJson(URI uri) {
    AgentHttp.Response r = http.get(uri, authorization, MAX_ANSWER);
    if (r.status() != 200) {
      throw new ServerException(
          "GET " + uri.getPath() + " answered " + r.status(), r.status(), null);
    }
    try {
      return WireJson.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new ServerException("GET " + uri.getPath() + " answered no JSON", r.status(), e);
    }
  }

  private Optional<URI> link(JsonNode links, String name) {
    JsonNode href = links.path(name).path("href");
    if (!href.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(server.resolve(href.asText()));
    } catch (IllegalArgumentException e) {
      throw new ServerException("the link " + name + " is not a URL");
    }
  }

  private static Optional<Duration> parseSleep(String text) {
    if (!text.matches("\\d{1,4}:[0-5]\\d:[0-5]\\d")) {
      return Optional.empty();
    }
    String[] p = text.split(":");
    return Optional.of(
        Duration.ofHours(Long.parseLong(p[0]))
            .plusMinutes(Long.parseLong(p[1]))
            .plusSeconds(Long.parseLong(p[2])));
  }

  private static byte[] bytes(JsonNode json) {
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }
}
