package dev.sluice.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Duration;

/**
 * Counts the requests in flight so that a stopping server can let them finish: once {@link #drain}
 * is called, new requests are answered 503 with {@code Connection: close} (clients go to another
 * instance), and {@code drain} returns when the requests in flight have completed or the grace
 * period is over. Undertow's own listener suspension closes every open connection, cutting
 * downloads off; this does not.
 */
public final class Draining implements HttpHandler {
  private final HttpHandler next;
  private final Problems problems;
  private final Object lock = new Object();
  private long active;
  private boolean stopping;

  public Draining(HttpHandler next, Problems problems) {
    this.next = next;
    this.problems = problems;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    boolean admitted;
    synchronized (lock) {
      admitted = !stopping;
      if (admitted) {
        active++;
      }
    }
    if (!admitted) {
      exchange.setPersistent(false);
      exchange.getResponseHeaders().put(Headers.CONNECTION, "close");
      exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "5");
      problems.send(exchange, 503, "Service Unavailable", "the server is stopping", null);
      return;
    }
    exchange.addExchangeCompleteListener(
        (done, nextListener) -> {
          synchronized (lock) {
            if (--active == 0) {
              lock.notifyAll();
            }
          }
          nextListener.proceed();
        });
    next.handleRequest(exchange);
  }

  /**
   * Refuses new requests and waits up to {@code grace} for those in flight.
   *
   * @return whether all finished in time
   */
  public boolean drain(Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (lock) {
      stopping = true;
      while (active > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }
}
