package dev.sluice.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A minimal HTTP client for tests against a real server. */
public final class Http {
  private static final ObjectMapper MAPPER = dev.sluice.api.WireJson.MAPPER;
  private final HttpClient client;
  private final URI base;

  public Http(URI base) {
    this(base, HttpClient.newHttpClient());
  }

  /** Requests through {@code client} (e.g. one that trusts a test's own TLS certificate). */
  public Http(URI base, HttpClient client) {
    this.base = base;
    this.client = client;
  }

  /** The server's base URI. */
  public URI base() {
    return base;
  }

  /** A response with its status, headers and body. */
  public record Response(int status, HttpHeaders headers, byte[] body) {
    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + text(), e);
      }
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + text();
    }
  }

  public Response get(String path, String token) {
    return send(request(path, token).GET().build());
  }

  public Response get(String path, String token, Map<String, String> headers) {
    HttpRequest.Builder builder = request(path, token).GET();
    headers.forEach(builder::header);
    return send(builder.build());
  }

  public Response post(String path, String token, JsonNode body) {
    return postBytes(path, token, json(body), "application/json");
  }

  public Response postBytes(String path, String token, byte[] body, String contentType) {
    return send(
        request(path, token)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  public Response put(String path, String token, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder builder =
        request(path, token)
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    // A header given here (e.g. Content-Type) replaces the default, not joins it.
    headers.forEach(builder::setHeader);
    return send(builder.build());
  }

  public Response putJson(String path, String token, JsonNode body) {
    return send(
        request(path, token)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(json(body)))
            .build());
  }

  /** The body as the server meant it: a gzip-encoded answer is checked after decoding. */
  private static byte[] decoded(HttpResponse<byte[]> response) throws IOException {
    if (!response.headers().firstValue("Content-Encoding").orElse("").equalsIgnoreCase("gzip")) {
      return response.body();
    }
    try (var in =
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(response.body()))) {
      return in.readAllBytes();
    }
  }

  public Response send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      // Every JSON answer of a documented operation must match the OpenAPI document.
      List<String> violations =
          OpenApiResponses.check(
              request.method(),
              request.uri().getRawPath(),
              response.statusCode(),
              response.headers().firstValue("Content-Type").orElse(null),
              decoded(response));
      if (!violations.isEmpty()) {
        throw new AssertionError(
            "the answer does not match openapi.json:\n  "
                + String.join("\n  ", violations)
                + "\n"
                + new String(response.body(), StandardCharsets.UTF_8));
      }
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  public static byte[] json(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static com.fasterxml.jackson.databind.node.ObjectNode object() {
    return MAPPER.createObjectNode();
  }
}
