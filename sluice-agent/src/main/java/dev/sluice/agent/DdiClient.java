package dev.sluice.agent;

import dev.sluice.api.WireJson;
import dev.sluice.api.ddi.ActionFeedback;
import dev.sluice.api.ddi.CancelActionBase;
import dev.sluice.api.ddi.ConfigData;
import dev.sluice.api.ddi.ControllerBase;
import dev.sluice.api.ddi.DdiLink;
import dev.sluice.api.ddi.DeploymentBase;
import dev.sluice.api.ddi.InstalledBase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    ControllerBase answer = get(URI.create(base), ControllerBase.class);
    Optional<String> sleep =
        Optional.ofNullable(answer.config())
            .map(ControllerBase.Config::polling)
            .map(ControllerBase.Polling::sleep);
    return new Poll(
        sleep.flatMap(DdiClient::parseSleep),
        link(answer.links(), "deploymentBase"),
        link(answer.links(), "cancelAction"),
        link(answer.links(), "configData"));
  }

  public Deployment deployment(URI link) {
    DeploymentBase answer = get(link, DeploymentBase.class);
    DeploymentBase.Deployment deployment = answer.deployment();
    if (answer.id() == null
        || answer.id().isEmpty()
        || deployment == null
        || deployment.chunks().isEmpty()) {
      throw new ServerException("the deploymentBase answer has no id or no chunk");
    }
    DeploymentBase.Chunk chunk = deployment.chunks().getFirst();
    boolean window = !"unavailable".equals(deployment.maintenanceWindow());
    boolean install = !"skip".equals(deployment.update()) && window;
    List<Artifact> artifacts = new ArrayList<>();
    for (DeploymentBase.DdiArtifact a : chunk.artifacts()) {
      Optional<URI> download =
          link(a.links(), "download-http").or(() -> link(a.links(), "download"));
      artifacts.add(
          new Artifact(
              Objects.requireNonNullElse(a.filename(), ""),
              Objects.requireNonNullElse(a.size(), -1L),
              download.orElseThrow(() -> new ServerException("an artifact has no download link"))));
    }
    Optional<String> release =
        chunk.metadata().stream()
            .filter(m -> "release_id".equals(m.key()))
            .map(DeploymentBase.Metadata::value)
            .reduce((first, second) -> second);
    return new Deployment(
        answer.id(),
        install,
        Objects.requireNonNullElse(chunk.name(), ""),
        Objects.requireNonNullElse(chunk.version(), ""),
        release,
        artifacts);
  }

  /** The action the server asks to cancel ({@code cancelAction.stopId}). */
  public String cancelTarget(URI link) {
    CancelActionBase answer = get(link, CancelActionBase.class);
    return answer.cancelAction() == null || answer.cancelAction().stopId() == null
        ? ""
        : answer.cancelAction().stopId();
  }

  /**
   * {@code POST .../deploymentBase/{id}/feedback}. A 410 (the action is closed already) is not an
   * error: the server has what it needs.
   */
  public void feedback(
      String actionId, String execution, String finished, Optional<int[]> progress, String detail) {
    ActionFeedback body =
        new ActionFeedback(
            actionId,
            new ActionFeedback.Status(
                execution,
                new ActionFeedback.Result(
                    finished,
                    progress.map(p -> new ActionFeedback.Progress(p[0], p[1])).orElse(null)),
                List.of(detail.length() > 2000 ? detail.substring(0, 2000) : detail)));
    post("/deploymentBase/" + actionId + "/feedback", body, true);
  }

  /** {@code POST .../cancelAction/{id}/feedback}: closed/success acknowledges the cancel. */
  public void cancelFeedback(String actionId, String detail) {
    ActionFeedback body =
        new ActionFeedback(
            actionId,
            new ActionFeedback.Status(
                "closed", new ActionFeedback.Result("success", null), List.of(detail)));
    post("/cancelAction/" + actionId + "/feedback", body, true);
  }

  /** {@code PUT .../configData} merging attributes (the running version, for instance). */
  public void configData(Map<String, String> attributes) {
    ConfigData body = new ConfigData("merge", attributes);
    send(
        HttpRequest.newBuilder(URI.create(base + "/configData"))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(body))),
        false);
  }

  /** {@code PUT .../installedBase}: the version the device runs. */
  public void installedBase(String version) {
    InstalledBase body = new InstalledBase(version);
    send(
        HttpRequest.newBuilder(URI.create(base + "/installedBase"))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(body))),
        false);
  }

  private void post(String path, Object body, boolean goneIsFine) {
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

  /** A DDI answer read as its record of {@code sluice-api} (unknown fields ignored). */
  private <T> T get(URI uri, Class<T> type) {
    AgentHttp.Response r = http.get(uri, authorization, MAX_ANSWER);
    if (r.status() != 200) {
      throw new ServerException(
          "GET " + uri.getPath() + " answered " + r.status(), r.status(), null);
    }
    try {
      return WireJson.MAPPER.readValue(r.body(), type);
    } catch (IOException e) {
      throw new ServerException(
          "GET " + uri.getPath() + " answered no DDI document: " + e.getMessage(), r.status(), e);
    }
  }

  private Optional<URI> link(Map<String, DdiLink> links, String name) {
    DdiLink link = links.get(name);
    if (link == null || link.href() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(server.resolve(link.href()));
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

  private static byte[] bytes(Object body) {
    try {
      return WireJson.MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("a DDI request could not be written", e);
    }
  }
}
