package dev.sluice.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.core.SluiceException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns failures into RFC 9457 problem documents: the single place where the domain's exceptions
 * meet HTTP status codes. The switch over the sealed {@link SluiceException} is exhaustive, so a
 * new kind of failure cannot be left unmapped.
 */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  private static final String TYPE_BASE = "https://sluice.dev/problems/";

  private final java.util.Optional<dev.sluice.server.http.StorageHealth> storage;

  public Problems() {
    this.storage = java.util.Optional.empty();
  }

  /** Problems that also tell {@code storage} when a write failed because the disk is full. */
  public Problems(dev.sluice.server.http.StorageHealth storage) {
    this.storage = java.util.Optional.of(storage);
  }

  public void send(HttpServerExchange exchange, Exception failure) {
    Throwable e = failure;
    Object gone = e instanceof SluiceException ? null : clientGone(e);
    if (gone == null
        && !(e instanceof SluiceException)
        && exchange.getConnection() != null
        && !exchange.getConnection().isOpen()) {
      // The connection was closed under the request (a timeout or the client): whatever failed
      // reading or writing it is the same event, not a server failure.
      gone = e;
    }
    if (gone == null && e instanceof java.util.concurrent.RejectedExecutionException) {
      // The server is stopping and its I/O threads take no more work (XNIO007007): a download
      // still running at shutdown ends with its connection, as a client going away does.
      gone = e;
    }
    if (gone != null) {
      // A client that closed, reset or stalled its connection (e.g. UT000128 mid-upload) is not a
      // server failure: nothing can be answered, and the log says it at debug level only.
      LOG.debug(
          "connection ended on {} {}: {}",
          exchange.getRequestMethod(),
          exchange.getRequestPath(),
          gone.toString());
      exchange.setPersistent(false);
      org.xnio.IoUtils.safeClose(exchange.getConnection());
      return;
    }
    if (e instanceof SluiceException domain) {
      ObjectNode problem =
          switch (domain) {
            case SluiceException.NotFound n -> problem(404, "Not Found", n.getMessage());
            case SluiceException.Conflict c -> {
              ObjectNode p = problem(409, "Conflict", c.getMessage());
              p.put("conflict", c.conflictKind().name().toLowerCase(Locale.ROOT));
              yield p;
            }
            case SluiceException.InvalidInput i -> {
              ObjectNode p = problem(400, "Bad Request", i.getMessage());
              if (!i.violations().isEmpty()) {
                var list = p.putArray("violations");
                i.violations()
                    .forEach(
                        v ->
                            list.addObject()
                                .put("location", v.location())
                                .put("message", v.message()));
              }
              yield p;
            }
            case SluiceException.Unauthenticated u -> problem(401, "Unauthorized", u.getMessage());
            case SluiceException.Forbidden f -> problem(403, "Forbidden", f.getMessage());
            case SluiceException.TooLarge t -> {
              ObjectNode p = problem(413, "Content Too Large", t.getMessage());
              p.put("limit", t.limit());
              yield p;
            }
            case SluiceException.Gone g -> problem(410, "Gone", g.getMessage());
          };
      if (domain instanceof SluiceException.Unauthenticated) {
        if (exchange.getRequestPath().contains("/controller/v1/")) {
          // The device API's schemes (hawkBit DDI): the device's own token or a gateway token.
          exchange
              .getResponseHeaders()
              .addAll(
                  Headers.WWW_AUTHENTICATE,
                  java.util.List.of(
                      "TargetToken realm=\"sluice\"", "GatewayToken realm=\"sluice\""));
        } else {
          exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"sluice\"");
        }
      }
      write(exchange, problem);
      return;
    }
    if (e instanceof io.undertow.server.RequestTooBigException
        || e.getCause() instanceof io.undertow.server.RequestTooBigException) {
      write(exchange, problem(413, "Content Too Large", "the request body is too large"));
      return;
    }
    var corrupted = dev.sluice.server.http.StorageHealth.corruptedBlob(e);
    if (corrupted.isPresent()) {
      // Logged at ERROR by the blob store when first found; never the bad bytes (issue 10 item 9).
      ObjectNode p =
          problem(
              503,
              "Service Unavailable",
              "this artifact is unavailable: its stored copy failed SHA-256 verification and is"
                  + " not served until an operator restores it");
      p.put("sha256", corrupted.get().expected().hex());
      write(exchange, p);
      return;
    }
    if (dev.sluice.server.http.StorageHealth.isDiskFull(e)) {
      storage.ifPresent(s -> s.diskFull(e));
      LOG.warn(
          "{} {} failed: the disk is full ({})",
          exchange.getRequestMethod(),
          exchange.getRequestPath(),
          e.toString());
      write(
          exchange,
          problem(
              507,
              "Insufficient Storage",
              "the server's disk is full: nothing was stored; retry once an operator has freed"
                  + " space"));
      return;
    }
    LOG.error(
        "unexpected failure on {} {}", exchange.getRequestMethod(), exchange.getRequestPath(), e);
    write(
        exchange,
        problem(500, "Internal Server Error", "an unexpected error occurred; see the server log"));
  }

  public void send(
      HttpServerExchange exchange, int status, String title, String detail, ObjectNode extra) {
    ObjectNode problem = problem(status, title, detail);
    if (extra != null) {
      problem.setAll(extra);
    }
    write(exchange, problem);
  }

  private static ObjectNode problem(int status, String title, String detail) {
    ObjectNode p = WireJson.MAPPER.createObjectNode();
    p.put("type", TYPE_BASE + status);
    p.put("title", title);
    p.put("status", status);
    p.put("detail", detail);
    return p;
  }

  private static void write(HttpServerExchange exchange, ObjectNode problem) {
    if (exchange.isResponseStarted()) {
      LOG.warn(
          "cannot send problem, response already started: {}", problem.path("detail").asText());
      org.xnio.IoUtils.safeClose(exchange.getConnection());
      return;
    }
    byte[] bytes;
    try {
      bytes = WireJson.MAPPER.writeValueAsBytes(problem);
    } catch (IOException e) {
      bytes = "{\"status\":500}".getBytes(StandardCharsets.UTF_8);
    }
    exchange.setStatusCode(problem.path("status").asInt(500));
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/problem+json");
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, bytes.length);
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    if (problem.path("status").asInt() == 413 || problem.path("status").asInt() == 507) {
      // The rest of an oversized body is not read; close rather than drain it.
      exchange.setPersistent(false);
    }
    exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(bytes));
  }

  /** The I/O failure in the cause chain that means the client is gone or stalled, if any. */
  private static IOException clientGone(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 8; t = t.getCause(), depth++) {
      if (t instanceof IOException io && isClientGone(io)) {
        return io;
      }
    }
    return null;
  }

  private static boolean isClientGone(IOException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return message.contains("broken pipe")
        || message.contains("connection reset")
        || message.contains("stream closed")
        // UT000128: the peer closed the connection before the whole body arrived
        || message.contains("ut000128")
        || e instanceof java.io.EOFException
        || e instanceof org.xnio.channels.ReadTimeoutException
        || e instanceof org.xnio.channels.WriteTimeoutException
        || e.getClass().getSimpleName().contains("ClosedChannel");
  }
}
