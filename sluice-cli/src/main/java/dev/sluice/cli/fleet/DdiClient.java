package dev.sluice.cli.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The DDI calls a simulated device makes (hawkBit DDI v1 under {@code
 * /{tenant}/controller/v1/{controllerId}}), with at most as many requests in flight as the
 * semaphore allows. The JSON exchanges go over a pool of plain HTTP/1.1 keep-alive connections
 * ({@link Http1Connections}); artifact downloads, and links to another server, over the JDK's
 * client. Poll latencies go to {@link FleetStats}.
 */
final class DdiClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String JSON = "application/json";

  private final HttpClient http;
  private final Http1Connections connections;
  private final URI server;
  private final String tenant;
  private final Semaphore inFlight;
  private final StopSignal stop;
  private final FleetStats stats;

  DdiClient(
      HttpClient http,
      Http1Connections connections,
      URI server,
      String tenant,
      Semaphore inFlight,
      StopSignal stop,
      FleetStats stats) {
    this.http = http;
    this.connections = connections;
    this.stop = stop;
    this.server = server;
    this.tenant = tenant;
    this.inFlight = inFlight;
    this.stats = stats;
  }

  /** The device's poll, {@code GET /{tenant}/controller/v1/{controllerId}}. */
  PollAnswer poll(SimulatedDevice device) throws DdiException, InterruptedException {
    URI uri = URI.create(base(device));
    slot();
    try {
      long begin = System.nanoTime();
      byte[] answer = exchange(device, "GET", uri, null);
      stats.poll(System.nanoTime() - begin);
      return PollAnswer.parse(json("GET", uri, answer), server);
    } finally {
      inFlight.release();
    }
  }

  /** {@code GET .../deploymentBase/{actionId}}, following the poll's link. */
  Deployment deployment(SimulatedDevice device, URI link)
      throws DdiException, InterruptedException {
    return Deployment.parse(getJson(device, link), server);
  }

  /** {@code GET .../cancelAction/{actionId}}: the id of the action to stop. */
  String cancelTarget(SimulatedDevice device, URI link) throws DdiException, InterruptedException {
    JsonNode json = getJson(device, link);
    JsonNode stopId = json.path("cancelAction").path("stopId");
    if (!stopId.isTextual() && !stopId.isNumber()) {
      throw new DdiException("the cancelAction answer has no cancelAction.stopId");
    }
    return stopId.asText();
  }

  /**
   * {@code POST .../deploymentBase/{actionId}/feedback} with {@code status.execution}, {@code
   * status.result.finished} and {@code status.details}.
   */
  void deploymentFeedback(
      SimulatedDevice device, String actionId, String execution, String finished, String detail)
      throws DdiException, InterruptedException {
    post(
        device, "/deploymentBase/" + actionId + "/feedback", feedback(execution, finished, detail));
  }

  /** {@code POST .../cancelAction/{actionId}/feedback}: the device stopped the action. */
  void cancelFeedback(SimulatedDevice device, String actionId)
      throws DdiException, InterruptedException {
    post(
        device,
        "/cancelAction/" + actionId + "/feedback",
        feedback("closed", "success", "simulated device stopped the action"));
  }

  /** {@code PUT .../configData} merging {@code data} into the device's attributes. */
  void configData(SimulatedDevice device, Map<String, String> data)
      throws DdiException, InterruptedException {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("mode", "merge");
    ObjectNode values = body.putObject("data");
    data.forEach(values::put);
    send(device, "PUT", URI.create(base(device) + "/configData"), bytes(body));
  }

  /**
   * Downloads an artifact, checks its SHA-256 (when the server gave one) and size, and discards the
   * bytes.
   *
   * @return the number of bytes received
   */
  long download(SimulatedDevice device, Deployment.Artifact artifact)
      throws DdiException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(artifact.download())
            .header("Authorization", device.authorization())
            .timeout(Duration.ofMinutes(10))
            .GET()
            .build();
    slot();
    try {
      stats.request();
      HttpResponse<InputStream> response = http.send(request, BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          body.transferTo(java.io.OutputStream.nullOutputStream());
          throw refused(
              "GET",
              request.uri(),
              response.statusCode(),
              response.headers().firstValue("Retry-After"));
        }
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        for (int n; (n = body.read(buffer)) >= 0; ) {
          digest.update(buffer, 0, n);
          size += n;
        }
        stats.downloaded(size);
        check(artifact, Sha256.fromBytes(digest.digest()), size);
        return size;
      }
    } catch (IOException e) {
      throw broken("GET", request.uri(), e);
    } finally {
      inFlight.release();
    }
  }

  /**
   * Waits for a request slot. Once the fleet is stopping, every waiter gets one at once (see {@link
   * FleetSimulator}) and leaves here without sending.
   */
  private void slot() throws InterruptedException {
    inFlight.acquire();
    if (stop.stopped()) {
      inFlight.release();
      throw new InterruptedException("the fleet is stopping");
    }
  }

  private static void check(Deployment.Artifact artifact, Sha256 actual, long size)
      throws DdiException {
    if (artifact.size() >= 0 && artifact.size() != size) {
      throw new DdiException(
          "artifact " + artifact.filename() + " has " + size + " bytes, not " + artifact.size());
    }
    if (artifact.sha256().isPresent()) {
      Sha256 declared;
      try {
        declared = Sha256.parse(artifact.sha256().get());
      } catch (IllegalArgumentException e) {
        throw new DdiException("artifact " + artifact.filename() + " has a malformed sha256");
      }
      if (!declared.matches(actual)) {
        throw new DdiException(
            "artifact " + artifact.filename() + " has sha256 " + actual + ", not " + declared);
      }
    }
  }

  private JsonNode getJson(SimulatedDevice device, URI link)
      throws DdiException, InterruptedException {
    return json("GET", link, send(device, "GET", link, null));
  }

  private void post(SimulatedDevice device, String path, ObjectNode body)
      throws DdiException, InterruptedException {
    send(device, "POST", URI.create(base(device) + path), bytes(body));
  }

  private byte[] send(SimulatedDevice device, String method, URI uri, byte[] body)
      throws DdiException, InterruptedException {
    slot();
    try {
      stats.request();
      return exchange(device, method, uri, body);
    } finally {
      inFlight.release();
    }
  }

  /**
   * One JSON exchange: on a kept connection when {@code uri} is on the server, else (a link to
   * another host) through the JDK's client.
   *
   * @return the answer's body, when its status is 2xx
   */
  private byte[] exchange(SimulatedDevice device, String method, URI uri, byte[] body)
      throws DdiException, InterruptedException {
    if (!sameOrigin(uri)) {
      return exchangeElsewhere(device, method, uri, body);
    }
    String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    Http1Connections.Answer answer;
    try {
      answer = connections.exchange(method, target, device.authorization(), body);
    } catch (IOException e) {
      throw broken(method, uri, e);
    }
    if (answer.status() / 100 != 2) {
      throw refused(method, uri, answer.status(), answer.retryAfter());
    }
    return answer.body();
  }

  private boolean sameOrigin(URI uri) {
    return server.getScheme().equalsIgnoreCase(uri.getScheme())
        && server.getHost().equalsIgnoreCase(uri.getHost())
        && server.getPort() == uri.getPort();
  }

  private byte[] exchangeElsewhere(SimulatedDevice device, String method, URI uri, byte[] body)
      throws DdiException, InterruptedException {
    HttpRequest.Builder request = request(device, uri);
    if (body == null) {
      request.method(method, BodyPublishers.noBody());
    } else {
      request.header("Content-Type", JSON).method(method, BodyPublishers.ofByteArray(body));
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw broken(method, uri, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw refused(
          method, uri, response.statusCode(), response.headers().firstValue("Retry-After"));
    }
    return response.body();
  }

  private HttpRequest.Builder request(SimulatedDevice device, URI uri) {
    return HttpRequest.newBuilder(uri)
        .header("Authorization", device.authorization())
        .header("Accept", JSON)
        .timeout(TIMEOUT);
  }

  private String base(SimulatedDevice device) {
    return server + "/" + tenant + "/controller/v1/" + device.controllerId().value();
  }

  private static ObjectNode feedback(String execution, String finished, String detail) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode status = body.putObject("status");
    status.put("execution", execution);
    status.putObject("result").put("finished", finished);
    status.putArray("details").add(detail);
    return body;
  }

  private static byte[] bytes(JsonNode json) {
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode json(String method, URI uri, byte[] answer) throws DdiException {
    try {
      return WireJson.MAPPER.readTree(answer);
    } catch (IOException e) {
      throw new DdiException(method + " " + uri.getPath() + " answered with no JSON", 0, e);
    }
  }

  private static DdiException refused(
      String method, URI uri, int status, Optional<String> retryAfterHeader) {
    Optional<Duration> retryAfter =
        retryAfterHeader
            .filter(v -> v.matches("\\d{1,6}"))
            .map(v -> Duration.ofSeconds(Long.parseLong(v)));
    return new DdiException(
        method + " " + uri.getPath() + " answered " + status, status, retryAfter, null);
  }

  /** A broken exchange; one broken because the fleet is stopping is an interruption instead. */
  private static DdiException broken(String method, URI uri, IOException e)
      throws InterruptedException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("stopped during " + uri.getPath());
    }
    return new DdiException(method + " " + uri.getPath() + " failed: " + e, 0, e);
  }
}
