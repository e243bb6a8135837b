package dev.sluice.server.tuf;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.trust.tuf.RemoteRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;

/**
 * Serves a {@link RemoteRepository} (such as the trust module's in-memory {@code TestRepository})
 * over HTTP at {@code /metadata/} and {@code /targets/}, so an outside client can fetch it.
 */
final class StaticTufServer implements AutoCloseable {
  private final HttpServer server;

  StaticTufServer(RemoteRepository repository) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/metadata/",
        exchange -> {
          String name = exchange.getRequestURI().getPath().substring("/metadata/".length());
          Optional<byte[]> body = repository.fetchMetadata(name, Long.MAX_VALUE);
          respond(exchange, body);
        });
    server.createContext(
        "/targets/",
        exchange -> {
          String name = exchange.getRequestURI().getPath().substring("/targets/".length());
          Optional<byte[]> body;
          try {
            body = Optional.of(repository.fetchTarget(name, Long.MAX_VALUE));
          } catch (RuntimeException e) {
            body = Optional.empty();
          }
          respond(exchange, body);
        });
    server.start();
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, Optional<byte[]> body)
      throws IOException {
    try (exchange) {
      if (body.isEmpty()) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, body.get().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body.get());
      }
    }
  }

  URI metadata() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metadata/");
  }

  URI targets() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/targets/");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
