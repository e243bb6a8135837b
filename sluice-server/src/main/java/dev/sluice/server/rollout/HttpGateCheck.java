package dev.sluice.server.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.rollout.GateCheck;
import dev.sluice.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Webhook gates over HTTP: POSTs the rollout's numbers as JSON with bounded connect and response
 * timeouts, never following redirects; 2xx approves. Called by the evaluator outside any database
 * transaction.
 */
public final class HttpGateCheck implements GateCheck {
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
  private static final int SUMMARY_CHARS = 200;

  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(CONNECT_TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  @Override
  public Reply ask(URI url, JsonNode payload) {
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
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      String text = new String(response.body(), StandardCharsets.UTF_8).strip();
      if (text.length() > SUMMARY_CHARS) {
        text = text.substring(0, SUMMARY_CHARS) + "…";
      }
      int status = response.statusCode();
      return new Reply(
          status >= 200 && status < 300, "HTTP " + status + (text.isEmpty() ? "" : ": " + text));
    } catch (IOException e) {
      return new Reply(false, "the webhook could not be reached: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(false, "interrupted while calling the webhook");
    }
  }
}
