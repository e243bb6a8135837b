package dev.sluice.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * The agent's HTTP transport: one {@code java.net.http} client, bounded reads (a response larger
 * than the caller's limit is refused, never buffered) and {@link ServerException} for every
 * failure. Everything it returns is untrusted until a verifier checks it.
 */
public final class AgentHttp {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client;

  public AgentHttp() {
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** A response read whole (at most the caller's limit). */
  public record Response(int status, byte[] body) {}

  /** {@code GET}, reading at most {@code maxBytes} of the body. */
  public Response get(URI uri, String authorization, long maxBytes) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return exchange(request.build(), maxBytes);
  }

  /** Sends a request with a body, reading at most 64 KiB of the answer. */
  public Response send(HttpRequest request) {
    return exchange(request, 64 * 1024);
  }

  /** Opens a streamed {@code GET}; the caller closes the body. */
  public HttpResponse<InputStream> stream(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new ServerException(
          "GET " + request.uri().getPath() + " failed: " + e.getMessage(), 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerException("interrupted during " + request.uri().getPath(), 0, e);
    }
  }

  private Response exchange(HttpRequest request, long maxBytes) {
    HttpResponse<InputStream> response = stream(request);
    try (InputStream in = response.body()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (body.length > maxBytes) {
        throw new ServerException(
            request.method()
                + " "
                + request.uri().getPath()
                + " answered more than "
                + maxBytes
                + " bytes",
            response.statusCode(),
            null);
      }
      return new Response(response.statusCode(), Arrays.copyOf(body, body.length));
    } catch (IOException e) {
      throw new ServerException(
          request.method() + " " + request.uri().getPath() + " failed: " + e.getMessage(), 0, e);
    }
  }
}
