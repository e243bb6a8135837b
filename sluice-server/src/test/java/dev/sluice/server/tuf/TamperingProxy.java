package dev.sluice.server.tuf;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * An attacker between devices and a real Sluice server: it forwards GET requests and can replace
 * the body of any path (a replayed old file, a flipped byte), as a compromised mirror would.
 */
final class TamperingProxy implements AutoCloseable {
  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final Map<String, UnaryOperator<byte[]>> rewrites = new ConcurrentHashMap<>();

  TamperingProxy(URI upstream) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String path = exchange.getRequestURI().getPath();
            HttpResponse<byte[]> response =
                client.send(
                    HttpRequest.newBuilder(upstream.resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = response.body();
            int status = response.statusCode();
            UnaryOperator<byte[]> rewrite = rewrites.get(path);
            if (rewrite != null && status == 200) {
              body = rewrite.apply(body);
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
  }

  /** From now on, the response body for {@code path} is passed through {@code rewrite}. */
  void rewrite(String path, UnaryOperator<byte[]> rewrite) {
    rewrites.put(path, rewrite);
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
