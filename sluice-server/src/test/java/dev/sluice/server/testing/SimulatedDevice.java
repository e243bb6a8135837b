package dev.sluice.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Optional;

/** A device speaking hawkBit DDI v1 to the real server with its target token. */
public final class SimulatedDevice {
  public final String id;
  private final Http http;
  private final String token;

  public SimulatedDevice(Http http, String id, String token) {
    this.http = http;
    this.id = id;
    this.token = token;
  }

  private String base() {
    return "/DEFAULT/controller/v1/" + id;
  }

  private Http.Response send(HttpRequest.Builder request) {
    return http.send(request.header("Authorization", "TargetToken " + token).build());
  }

  public JsonNode poll() {
    Http.Response r = send(HttpRequest.newBuilder(http.base().resolve(base())).GET());
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  /** The action id in the poll's deploymentBase link, if the device has something to do. */
  public Optional<String> offeredAction() {
    return link(poll(), "deploymentBase")
        .map(href -> href.replaceAll(".*/deploymentBase/([0-9]+).*", "$1"));
  }

  /** The action id the server asks the device to cancel, if any. */
  public Optional<String> cancelRequested() {
    return link(poll(), "cancelAction").map(href -> href.replaceAll(".*/cancelAction/", ""));
  }

  /** Fetches the deployment (the action becomes running) and returns its document. */
  public JsonNode fetch(String action) {
    Http.Response r =
        send(
            HttpRequest.newBuilder(http.base().resolve(base() + "/deploymentBase/" + action))
                .GET());
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  public void feedback(String action, String execution, String finished) {
    ObjectNode body = Http.object();
    body.put("id", action);
    ObjectNode status = body.putObject("status");
    status.put("execution", execution);
    status.putObject("result").put("finished", finished);
    Http.Response r = post(base() + "/deploymentBase/" + action + "/feedback", body);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
  }

  /** Polls, fetches the offered action and reports closed with {@code finished}. */
  public String install(String finished) {
    String action = offeredAction().orElseThrow(() -> new AssertionError(id + " has no action"));
    fetch(action);
    feedback(action, "closed", finished);
    return action;
  }

  /** Reports the version it runs after reboot (DDI installedBase). */
  public void reportsRunning(String version) {
    ObjectNode body = Http.object();
    body.put("version", version);
    Http.Response r =
        send(
            HttpRequest.newBuilder(http.base().resolve(base() + "/installedBase"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Http.json(body))));
    // 201 when it changed what the server records, 200 when it knew (as hawkBit).
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  /** Reports its attributes (DDI configData, mode merge); the answer as it came. */
  public Http.Response configData(java.util.Map<String, String> attributes) {
    ObjectNode body = Http.object();
    body.put("mode", "merge");
    body.putObject("status")
        .put("execution", "closed")
        .putObject("result")
        .put("finished", "success");
    ObjectNode data = body.putObject("data");
    attributes.forEach(data::put);
    return send(
        HttpRequest.newBuilder(http.base().resolve(base() + "/configData"))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(Http.json(body))));
  }

  public void confirmCancel(String action) {
    ObjectNode body = Http.object();
    body.put("id", action);
    ObjectNode status = body.putObject("status");
    status.put("execution", "closed");
    status.putObject("result").put("finished", "success");
    Http.Response r = post(base() + "/cancelAction/" + action + "/feedback", body);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
  }

  private Http.Response post(String path, JsonNode body) {
    return send(
        HttpRequest.newBuilder(http.base().resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Http.json(body))));
  }

  private static Optional<String> link(JsonNode poll, String name) {
    JsonNode href = poll.path("_links").path(name).path("href");
    return href.isMissingNode()
        ? Optional.empty()
        : Optional.of(URI.create(href.asText()).getPath());
  }
}
