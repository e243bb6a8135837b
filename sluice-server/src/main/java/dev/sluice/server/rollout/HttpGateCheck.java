package dev.sluice.server.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Text;
import dev.sluice.core.rollout.GateCheck;
import dev.sluice.server.http.Json;
import dev.sluice.trust.hash.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

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
  static final int MAX_REPLY_BYTES = 64 * 1024;
  static final int EXCERPT_CHARS = 80;

  private final WebhookHosts hosts;

  /**
   * Made on the first gate call, not at start-up: building an HTTP client initialises TLS (a few
   * hundred classes and tens of milliseconds of every server start, BENCHMARKS.md), and most
   * servers never call a webhook gate.
   */
  private volatile HttpClient client;

  public HttpGateCheck(WebhookHosts hosts) {
    this.hosts = hosts;
  }

  private HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          c =
              HttpClient.newBuilder()
                  .connectTimeout(CONNECT_TIMEOUT)
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
      body = Json.MAPPER.writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      return new Reply(false, "the gate payload could not be written: " + e.getOriginalMessage());
    }
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(RESPONSE_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("User-Agent", "sluice-rollout-gate")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<InputStream> response =
          client().send(request, HttpResponse.BodyHandlers.ofInputStream());
      byte[] read;
      boolean truncated;
      try (InputStream in = response.body()) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while (out.size() < MAX_REPLY_BYTES
            && (n = in.read(buffer, 0, Math.min(buffer.length, MAX_REPLY_BYTES - out.size())))
                != -1) {
          out.write(buffer, 0, n);
        }
        read = out.toByteArray();
        truncated = read.length >= MAX_REPLY_BYTES && in.read() != -1;
      }
      int status = response.statusCode();
      return new Reply(status >= 200 && status < 300, summary(status, read, truncated));
    } catch (IOException e) {
      return new Reply(
          false,
          "the webhook could not be reached: "
              + Text.excerpt(e.getClass().getSimpleName() + ": " + e.getMessage(), 200));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(false, "interrupted while calling the webhook");
    }
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
