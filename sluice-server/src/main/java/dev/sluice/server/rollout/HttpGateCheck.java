package dev.sluice.server.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.WireJson;
import dev.sluice.core.Text;
import dev.sluice.core.rollout.GateCheck;
import dev.sluice.trust.hash.Sha256;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Webhook gates over HTTP: POSTs the rollout's numbers as JSON with bounded connect and response
 * timeouts, only to hosts on the administrator's allow-list, never following redirects; 2xx
 * approves. At most {@value #MAX_REPLY_BYTES} bytes of the reply are read; what is kept (in the
 * rollout and the audit) is its status, the SHA-256 and length of what was read and a short
 * printable excerpt, never the reply itself. Called by the evaluator outside any database
 * transaction.
 */
public final class HttpGateCheck implements GateCheck {
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);

  /** The whole call: connecting, then the reply's headers and body within the response timeout. */
  public static final Duration LONGEST_CALL = CONNECT_TIMEOUT.plus(RESPONSE_TIMEOUT);

  static final int MAX_REPLY_BYTES = 64 * 1024;
  static final int EXCERPT_CHARS = 80;

  private final WebhookHosts hosts;
  private final Duration connectTimeout;
  private final Duration responseTimeout;

  /**
   * Made on the first gate call, not at start-up: building an HTTP client initialises TLS (a few
   * hundred classes and tens of milliseconds of every server start, BENCHMARKS.md), and most
   * servers never call a webhook gate.
   */
  private volatile HttpClient client;

  public HttpGateCheck(WebhookHosts hosts) {
    this(hosts, CONNECT_TIMEOUT, RESPONSE_TIMEOUT);
  }

  HttpGateCheck(WebhookHosts hosts, Duration connectTimeout, Duration responseTimeout) {
    this.hosts = hosts;
    this.connectTimeout = connectTimeout;
    this.responseTimeout = responseTimeout;
  }

  private HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          c =
              HttpClient.newBuilder()
                  .connectTimeout(connectTimeout)
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .build();
          client = c;
        }
      }
    }
    return c;
  }

  @Override
  public Reply ask(URI url, JsonNode payload) {
    if (!hosts.allows(url)) {
      return new Reply(
          false, "the webhook host '" + url.getHost() + "' is not on the allow-list; not called");
    }
    byte[] body;
    try {
      body = WireJson.MAPPER.writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      return new Reply(false, "the gate payload could not be written: " + e.getOriginalMessage());
    }
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(responseTimeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "sluice-rollout-gate")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    CompletableFuture<HttpResponse<BoundedBody>> call =
        client().sendAsync(request, info -> new BoundedBody.Subscriber(MAX_REPLY_BYTES));
    try {
      // The request's own timeout covers the reply's headers only: a webhook that sends them, then
      // drips its body, is cut off here, so a call never outlasts longestCall() (the evaluator
      // holds its lease on the rollout that long, see GateCheck#longestCall).
      HttpResponse<BoundedBody> response = call.get(longestCall().toNanos(), TimeUnit.NANOSECONDS);
      int status = response.statusCode();
      BoundedBody reply = response.body();
      return new Reply(
          status >= 200 && status < 300, summary(status, reply.bytes(), reply.truncated()));
    } catch (TimeoutException e) {
      call.cancel(true);
      return new Reply(
          false, "the webhook did not answer within " + longestCall().toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Reply(
          false,
          "the webhook could not be reached: "
              + Text.excerpt(cause.getClass().getSimpleName() + ": " + cause.getMessage(), 200));
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      return new Reply(false, "interrupted while calling the webhook");
    }
  }

  @Override
  public Duration longestCall() {
    return connectTimeout.plus(responseTimeout);
  }

  /** The status, the digest and size of the reply read, and a short printable excerpt. */
  static String summary(int status, byte[] reply, boolean truncated) {
    StringBuilder s = new StringBuilder("HTTP ").append(status);
    if (reply.length == 0) {
      return s.append(", empty reply").toString();
    }
    s.append(", reply sha256:")
        .append(Sha256.of(reply).hex())
        .append(" (")
        .append(reply.length)
        .append(truncated ? " bytes read of a longer reply)" : " bytes)");
    String excerpt = Text.excerpt(new String(reply, StandardCharsets.UTF_8), EXCERPT_CHARS);
    if (!excerpt.isEmpty()) {
      s.append(": ").append(excerpt);
    }
    return s.toString();
  }
}
