package dev.sluice.trust.chain.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.tlog.Hash;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves a {@link ChainFixture} over real HTTP on a random port, with the paths of a Sluice
 * server's public endpoints ({@code /tuf/…}, {@code /log/checkpoint}, {@code /log/tile/…}, {@code
 * /log/v1/inclusion}, {@code /log/v1/consistency}, {@code /log/v1/key}). Requests are handled one
 * at a time, so tests may change the fixture between requests.
 */
public final class ChainFixtureServer implements AutoCloseable {
  private final ChainFixture fixture;
  private final HttpServer server;

  public ChainFixtureServer(ChainFixture fixture) throws IOException {
    this.fixture = fixture;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Optional<byte[]> body;
      try {
        body = answer(path, query(exchange.getRequestURI().getRawQuery()));
      } catch (RuntimeException e) {
        body = Optional.empty();
      }
      byte[] bytes = body.orElse("not found\n".getBytes(StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(body.isPresent() ? 200 : 404, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private Optional<byte[]> answer(String path, Map<String, String> query) {
    if (path.startsWith("/tuf/targets/")) {
      return fixture.targetFile(path.substring("/tuf/targets/".length()));
    }
    if (path.startsWith("/tuf/")) {
      return Optional.ofNullable(fixture.metadataFiles().get(path.substring("/tuf/".length())));
    }
    if (path.equals("/log/checkpoint")) {
      return Optional.of(fixture.checkpoint());
    }
    if (path.startsWith("/log/tile/")) {
      return Optional.of(fixture.tile(path.substring("/log/".length())));
    }
    if (path.equals("/log/v1/key")) {
      return Optional.of((fixture.logKey() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    if (path.equals("/log/v1/inclusion")) {
      return Optional.of(
          hashes(
              fixture.inclusionProof(
                  Long.parseLong(query.get("index")), Long.parseLong(query.get("tree_size")))));
    }
    if (path.equals("/log/v1/consistency")) {
      return Optional.of(
          hashes(
              fixture.consistencyProof(
                  Long.parseLong(query.get("old_size")), Long.parseLong(query.get("tree_size")))));
    }
    return Optional.empty();
  }

  private static byte[] hashes(List<Hash> proof) {
    ObjectNode json = CanonicalJson.mapper().createObjectNode();
    ArrayNode array = json.putArray("hashes");
    proof.forEach(h -> array.add(h.base64()));
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return query;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
