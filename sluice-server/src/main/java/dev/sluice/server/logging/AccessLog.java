package dev.sluice.server.logging;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on logger {@code sluice.access} when that logger is at INFO (off by default;
 * {@code sluice serve --access-log} turns it on): method, path, status, bytes sent, duration, and
 * the route template that answered. The query string is never written (it may carry secrets such as
 * a filter naming a device or a token in a careless client's URL).
 */
public final class AccessLog implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger("sluice.access");
  private static final AttachmentKey<String> ROUTE = AttachmentKey.create(String.class);

  private final HttpHandler next;

  public AccessLog(HttpHandler next) {
    this.next = next;
  }

  /** Wraps a route's handler so that the access log names the route that answered. */
  public static HttpHandler routed(String template, HttpHandler handler) {
    return exchange -> {
      exchange.putAttachment(ROUTE, template);
      handler.handleRequest(exchange);
    };
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (LOG.isInfoEnabled()) {
      long start = System.nanoTime();
      exchange.addExchangeCompleteListener(
          (done, nextListener) -> {
            try {
              LOG.info(line(done, System.nanoTime() - start));
            } finally {
              nextListener.proceed();
            }
          });
    }
    next.handleRequest(exchange);
  }

  static String line(HttpServerExchange exchange, long nanos) {
    String route = exchange.getAttachment(ROUTE);
    return exchange.getRequestMethod()
        + " "
        + exchange.getRequestPath()
        + " "
        + exchange.getStatusCode()
        + " "
        + exchange.getResponseBytesSent()
        + "B "
        + String.format(Locale.ROOT, "%.1fms", nanos / 1e6)
        + " route="
        + (route == null ? "-" : route);
  }
}
