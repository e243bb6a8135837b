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
 * /{tenant}/controller/v1/{controllerId}}), on one HTTP/1.1 client shared by the whole fleet, with
 * at most as many requests in flight as the semaphore allows. Poll latencies go to {@link
 * FleetStats}.
 */
final class DdiClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String JSON = "application/json";

  private final HttpClient http;
  private final URI server;
  private final String tenant;
  private final Semaphore inFlight;
  private final StopSignal stop;
  private final FleetStats stats;

  DdiClient(
      HttpClient http,
      URI server,
      String tenant,
      Semaphore inFlight,
      StopSignal stop,
      FleetStats stats) {
    this.http = http;
    this.stop = stop;
    this.server = server;
    this.tenant = tenant;
    this.inFlight = inFlight;
    this.stats = stats;
  }

  /**
   * The device's poll, {@code GET /{tenant}/controller/v1/{controllerId}}. The request is built for
   * each poll rather than kept: a million kept requests would take gigabytes of heap.
   */
  PollAnswer poll(SimulatedDevice device) throws DdiException, InterruptedException {
    HttpRequest request = request(device, URI.create(base(device))).GET().build();
    slot();
    try {
      long begin = System.nanoTime();
      HttpResponse<byte[]> response = exchange(request);
      stats.poll(System.nanoTime() - begin);
      return PollAnswer.parse(json(request, response), server);
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
    send(
        request(device, URI.create(base(device) + "/configData"))
            .header("Content-Type", JSON)
            .PUT(BodyPublishers.ofByteArray(bytes(body)))
            .build());
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
          throw refused(request, response);
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
      throw broken(request, e);
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
    HttpRequest request = request(device, link).GET().build();
    return json(request, send(request));
  }

  private void post(SimulatedDevice device, String path, ObjectNode body)
      throws DdiException, InterruptedException {
    send(
        request(device, URI.create(base(device) + path))
            .header("Content-Type", JSON)
            .POST(BodyPublishers.ofByteArray(bytes(body)))
            .build());
  }

  private HttpResponse<byte[]> send(HttpRequest request) throws DdiException, InterruptedException {
    slot();
    try {
      stats.request();
      return exchange(request);
    } finally {
      inFlight.release();
    }
  }

  private HttpResponse<byte[]> exchange(HttpRequest request)
      throws DdiException, InterruptedException {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw broken(request, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw refused(request, response);
    }
    return response;
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

  private static JsonNode json(HttpRequest request, HttpResponse<byte[]> response)
      throws DdiException {
    try {
      return WireJson.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new DdiException(
          request.method() + " " + request.uri().getPath() + " answered with no JSON", 0, e);
    }
  }

  private static DdiException refused(HttpRequest request, HttpResponse<?> response) {
    Optional<Duration> retryAfter =
        response
            .headers()
            .firstValue("Retry-After")
            .filter(v -> v.matches("\\d{1,6}"))
            .map(v -> Duration.ofSeconds(Long.parseLong(v)));
    return new DdiException(
        request.method() + " " + request.uri().getPath() + " answered " + response.statusCode(),
        response.statusCode(),
        retryAfter,
        null);
  }

  /** A broken exchange; one broken because the fleet is stopping is an interruption instead. */
  private static DdiException broken(HttpRequest request, IOException e)
      throws InterruptedException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("stopped during " + request.uri().getPath());
    }
    return new DdiException(
        request.method() + " " + request.uri().getPath() + " failed: " + e, 0, e);
  }
}
