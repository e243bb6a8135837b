package dev.sluice.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Holds requests while the server finishes its start after it began to listen (the transparency
 * log's key is opened and the log started then: its PBKDF2 is off the path to the port). The probes
 * ({@code /api/v1/health}, {@code /api/v1/ready}) are answered at once; any other request waits for
 * the start without holding a thread, at most {@code bound}, and is then answered as usual, or 503
 * with a problem body and {@code Retry-After} when the start has not finished in time or has failed
 * (the server then stops). Once started this costs one volatile read.
 */
public final class Starting implements HttpHandler {
  private final HttpHandler next;
  private final Problems problems;
  private final CompletableFuture<?> started;
  private final Duration bound;
  private final Set<String> probes;

  /**
   * @param started completes when the start has finished, exceptionally when it failed
   * @param bound how long a request waits for the start before it is answered 503
   * @param probes request paths answered while the server is starting
   */
  public Starting(
      HttpHandler next,
      Problems problems,
      CompletableFuture<?> started,
      Duration bound,
      Set<String> probes) {
    this.next = Objects.requireNonNull(next, "next");
    this.problems = Objects.requireNonNull(problems, "problems");
    this.started = Objects.requireNonNull(started, "started");
    this.bound = Objects.requireNonNull(bound, "bound");
    this.probes = Set.copyOf(probes);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if ((started.isDone() && !started.isCompletedExceptionally())
        || probes.contains(exchange.getRequestPath())) {
      next.handleRequest(exchange);
      return;
    }
    if (started.isDone()) {
      unavailable(exchange);
      return;
    }
    // Asynchronous: the I/O thread goes on; the request resumes on it when the start is over.
    exchange.dispatch(
        SameThreadExecutor.INSTANCE,
        () ->
            started
                .copy()
                .orTimeout(bound.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete(
                    (done, failure) ->
                        exchange.dispatch(
                            exchange.getIoThread(), failure == null ? next : this::unavailable)));
  }

  private void unavailable(HttpServerExchange exchange) {
    exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
    String detail =
        started.isCompletedExceptionally()
            ? "the server could not finish its start and is stopping; see the server's log"
            : "the server is starting (its transparency log's key is being opened); retry in a"
                + " moment";
    problems.send(exchange, 503, "Service Unavailable", detail, null);
  }
}
