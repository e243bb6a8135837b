package dev.sluice.cli.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * A man in the middle between the agent and a real server: passes every request through, records
 * them, and lets a test replace what one path answers (a replayed or stripped metadata file, an old
 * checkpoint) or cut a download short. Links in JSON answers are rewritten to point at the proxy.
 */
final class InterceptingProxy implements AutoCloseable {
  /** One request as the proxy saw it. */
  record Seen(String method, String path, String range) {}

  private final HttpServer server;
  private final URI upstream;
  private final HttpClient client = HttpClient.newHttpClient();
  private final Map<String, UnaryOperator<byte[]>> rewrites = new ConcurrentHashMap<>();
  private final Map<String, Long> cutAfter = new ConcurrentHashMap<>();
  final List<Seen> seen = new CopyOnWriteArrayList<>();

  InterceptingProxy(URI upstream) throws IOException {
    this.upstream = upstream;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Replaces the body of every answer to {@code path} (a whole path, or a suffix of one). */
  void rewrite(String path, UnaryOperator<byte[]> change) {
    rewrites.put(path, change);
  }

  /** Answers {@code path} with only its first {@code bytes} bytes, then drops the connection. */
  void cut(String pathSuffix, long bytes) {
    cutAfter.put(pathSuffix, bytes);
  }

  void clear() {
    rewrites.clear();
    cutAfter.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      String range = exchange.getRequestHeaders().getFirst("Range");
      seen.add(new Seen(exchange.getRequestMethod(), path, range));
      byte[] body = exchange.getRequestBody().readAllBytes();
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(upstream + path + (query == null ? "" : "?" + query)))
              .method(
                  exchange.getRequestMethod(),
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      for (String header : List.of("Authorization", "Range", "If-Range", "Content-Type")) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
          request.header(header, value);
        }
      }
      HttpResponse<byte[]> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      byte[] answer = response.body();
      UnaryOperator<byte[]> change =
          rewrites.entrySet().stream()
              .filter(e -> path.equals(e.getKey()) || path.endsWith(e.getKey()))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse(null);
      if (change != null) {
        answer = change.apply(answer);
      }
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (type.startsWith("application/json")) {
        answer =
            new String(answer, StandardCharsets.UTF_8)
                .replace(upstream.toString(), uri().toString())
                .getBytes(StandardCharsets.UTF_8);
      }
      for (String header : List.of("Content-Type", "Content-Range", "ETag")) {
        response
            .headers()
            .firstValue(header)
            .ifPresent(v -> exchange.getResponseHeaders().add(header, v));
      }
      Long cut =
          cutAfter.entrySet().stream()
              .filter(e -> path.endsWith(e.getKey()))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse(null);
      exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        if (cut != null && cut < answer.length) {
          out.write(answer, 0, (int) (long) cut);
          out.flush();
          // Closing the exchange before the announced length is reached breaks the download.
          return;
        }
        if (answer.length > 0) {
          out.write(answer);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
