package dev.sluice.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Maps method and path template to endpoints. Endpoints run off the I/O threads on the blocking
 * executor (they talk to the database and stream bodies); every failure becomes a problem document
 * in {@link Problems}, the one place where errors are turned into responses.
 */
public final class Router {
  private final RoutingHandler routing = new RoutingHandler();
  private final List<Route> routes = new ArrayList<>();
  private final Map<String, HttpHandler> prefixes = new LinkedHashMap<>();
  private final Problems problems;
  private final Executor blocking;
  private final Instrumentation instrumentation;

  /** Wraps each route's handler, e.g. to time it by route template (metrics). */
  @FunctionalInterface
  public interface Instrumentation {
    HttpHandler wrap(String method, String template, HttpHandler handler);

    Instrumentation NONE = (method, template, handler) -> handler;
  }

  public Router(Problems problems, Executor blocking) {
    this(problems, blocking, Instrumentation.NONE);
  }

  public Router(Problems problems, Executor blocking, Instrumentation instrumentation) {
    this.problems = problems;
    this.blocking = blocking;
    this.instrumentation = instrumentation;
    routing.setFallbackHandler(
        exchange -> problems.send(exchange, 404, "Not Found", "no such resource", null));
    routing.setInvalidMethodHandler(
        exchange ->
            problems.send(
                exchange,
                405,
                "Method Not Allowed",
                exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath(),
                null));
  }

  public Router add(String method, String template, Endpoint endpoint) {
    routes.add(new Route(method, template));
    routing.add(
        HttpString.tryFromString(method),
        template,
        instrumentation.wrap(method, template, blockingHandler(endpoint)));
    return this;
  }

  /**
   * Registers a GET endpoint for every path under {@code prefix} (which ends in '/'), for resource
   * trees such as C2SP tlog-tiles whose paths have no fixed depth. The endpoint reads the rest of
   * the path itself; other methods get 405.
   */
  public Router getPrefix(String prefix, Endpoint endpoint) {
    if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
      throw new IllegalArgumentException("a prefix starts and ends with '/': " + prefix);
    }
    routes.add(new Route("GET", prefix, true));
    HttpHandler handler = instrumentation.wrap("GET", prefix + "*", blockingHandler(endpoint));
    prefixes.put(
        prefix,
        exchange -> {
          if (exchange.getRequestMethod().equals(Methods.GET)) {
            handler.handleRequest(exchange);
          } else {
            problems.send(
                exchange,
                405,
                "Method Not Allowed",
                exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath(),
                null);
          }
        });
    return this;
  }

  /**
   * Registers a handler that runs on the I/O thread, for hot paths answered from memory (a quiet
   * DDI poll). It must not block: it answers at once or hands the exchange to {@link
   * #dispatching(Endpoint)}'s handler.
   */
  public Router io(String method, String template, HttpHandler handler) {
    routes.add(new Route(method, template));
    routing.add(
        HttpString.tryFromString(method),
        template,
        instrumentation.wrap(method, template, handler));
    return this;
  }

  /** The handler that runs {@code endpoint} on the blocking executor, as routes normally do. */
  public HttpHandler dispatching(Endpoint endpoint) {
    return blockingHandler(endpoint);
  }

  /** The problem writer of this router. */
  public Problems problems() {
    return problems;
  }

  public Router get(String template, Endpoint endpoint) {
    return add("GET", template, endpoint);
  }

  public Router post(String template, Endpoint endpoint) {
    return add("POST", template, endpoint);
  }

  public Router put(String template, Endpoint endpoint) {
    return add("PUT", template, endpoint);
  }

  public List<Route> routes() {
    return List.copyOf(routes);
  }

  public HttpHandler handler() {
    if (prefixes.isEmpty()) {
      return routing;
    }
    return exchange -> {
      String path = exchange.getRequestPath();
      for (Map.Entry<String, HttpHandler> prefix : prefixes.entrySet()) {
        if (path.startsWith(prefix.getKey())) {
          prefix.getValue().handleRequest(exchange);
          return;
        }
      }
      routing.handleRequest(exchange);
    };
  }

  private HttpHandler blockingHandler(Endpoint endpoint) {
    HttpHandler run =
        exchange -> {
          exchange.startBlocking();
          try {
            endpoint.handle(new Call(exchange));
          } catch (Exception e) {
            problems.send(exchange, e);
          }
        };
    return (HttpServerExchange exchange) -> {
      if (exchange.isInIoThread()) {
        exchange.dispatch(blocking, run);
      } else {
        run.handleRequest(exchange);
      }
    };
  }
}
