package dev.sluice.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.WireJson;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While the server finishes its start after it began to listen (the transparency log's key is
 * opened then), the probes answer at once and every other request waits for the start, for a
 * bounded time, instead of reaching a log that has not started: never a 500, never a hang.
 */
class StartingHttpTest {
  private static final Duration LONG = Duration.ofMinutes(2);
  private final HttpClient client = HttpClient.newHttpClient();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final AtomicBoolean reachedBeforeStarted = new AtomicBoolean();
  private Undertow undertow;

  /** The routes behind the gate: 200 "done", noting whether one ran before the start finished. */
  private final HttpHandler routes =
      exchange -> {
        if (!started.isDone() && !exchange.getRequestPath().equals("/api/v1/health")) {
          reachedBeforeStarted.set(true);
        }
        exchange.getResponseSender().send("done");
      };

  private URI serve(Duration bound) {
    undertow =
        Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setHandler(
                new Starting(
                    routes,
                    new Problems(),
                    started,
                    bound,
                    Set.of("/api/v1/health", "/api/v1/ready")))
            .build();
    undertow.start();
    int port = ((InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress()).getPort();
    return URI.create("http://127.0.0.1:" + port);
  }

  @AfterEach
  void stop() {
    if (undertow != null) {
      undertow.stop();
    }
  }

  private HttpRequest get(URI base, String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(LONG).build();
  }

  @Test
  void theProbesAnswerWhileTheServerIsStarting() throws Exception {
    URI base = serve(LONG);

    HttpResponse<String> health = client.send(get(base, "/api/v1/health"), ofString());

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("done");
    assertThat(started).isNotDone();
  }

  @Test
  void aRequestDuringTheStartWaitsForItAndIsThenAnswered() throws Exception {
    URI base = serve(LONG);
    CompletableFuture<HttpResponse<String>> answer =
        client.sendAsync(get(base, "/log/checkpoint"), ofString());
    // The probe on the same server answers meanwhile: the waiting request holds no I/O thread.
    assertThat(client.send(get(base, "/api/v1/health"), ofString()).statusCode()).isEqualTo(200);

    started.complete(null);

    HttpResponse<String> response = answer.get();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("done");
    assertThat(reachedBeforeStarted).isFalse();
  }

  @Test
  void aStartThatTakesLongerThanTheBoundIsAnswered503WithAProblemAndRetryAfter() throws Exception {
    URI base = serve(Duration.ofMillis(50));

    HttpResponse<String> response = client.send(get(base, "/log/checkpoint"), ofString());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).contains("1");
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode problem = WireJson.MAPPER.readTree(response.body());
    assertThat(problem.get("status").asInt()).isEqualTo(503);
    assertThat(problem.get("detail").asText())
        .isEqualTo(
            "the server is starting (its transparency log's key is being opened); retry in a"
                + " moment");
    assertThat(reachedBeforeStarted).isFalse();
  }

  @Test
  void afterAFailedStartRequestsAre503AndNeverReachTheRoutes() throws Exception {
    URI base = serve(LONG);
    CompletableFuture<HttpResponse<String>> waiting =
        client.sendAsync(get(base, "/api/v1/releases"), ofString());
    assertThat(client.send(get(base, "/api/v1/health"), ofString()).statusCode()).isEqualTo(200);

    started.completeExceptionally(new IllegalStateException("wrong passphrase"));

    for (HttpResponse<String> response :
        java.util.List.of(waiting.get(), client.send(get(base, "/api/v1/releases"), ofString()))) {
      assertThat(response.statusCode()).isEqualTo(503);
      JsonNode problem = WireJson.MAPPER.readTree(response.body());
      assertThat(problem.get("detail").asText())
          .isEqualTo("the server could not finish its start and is stopping; see the server's log");
    }
    assertThat(reachedBeforeStarted).isFalse();
  }

  @Test
  void onceStartedEveryRequestPassesStraightThrough() throws IOException, InterruptedException {
    started.complete(null);
    URI base = serve(Duration.ZERO);

    HttpResponse<String> response = client.send(get(base, "/anything"), ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue(Headers.RETRY_AFTER_STRING)).isEmpty();
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString();
  }
}
