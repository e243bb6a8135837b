package dev.sluice.server.web;

import dev.sluice.server.http.Problems;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The console's way into the management API: {@code /console/api/v1/...} is answered by the API's
 * own {@code /api/v1/...} route with the signed-in user's token put in the Authorization header, so
 * the console can do exactly what that token may do through the API, no more. The token stays on
 * the server (the browser holds only an HttpOnly session cookie); every request other than GET must
 * carry the session's CSRF token in {@value #CSRF_HEADER}.
 */
final class ConsoleProxy {
  static final String COOKIE = "sluice_session";
  static final String LOGIN_COOKIE = "sluice_login";
  static final String PREFIX = "/console/api/";
  static final String CSRF_HEADER = "X-CSRF-Token";

  private final Sessions sessions;
  private final Problems problems;
  private final Executor blocking;

  ConsoleProxy(Sessions sessions, Problems problems, Executor blocking) {
    this.sessions = sessions;
    this.problems = problems;
    this.blocking = blocking;
  }

  /**
   * Answers a request under {@link #PREFIX} through {@code api}, off the I/O thread: finding the
   * session reads the database.
   */
  void handle(HttpServerExchange exchange, HttpHandler api) throws Exception {
    if (exchange.isInIoThread()) {
      exchange.dispatch(blocking, dispatched -> handle(dispatched, api));
      return;
    }
    Cookie cookie = exchange.getRequestCookie(COOKIE);
    Optional<Sessions.Session> session = sessions.find(cookie == null ? null : cookie.getValue());
    if (session.isEmpty()) {
      problems.send(exchange, 401, "Unauthorized", "sign in to the console first", null);
      return;
    }
    boolean safe =
        exchange.getRequestMethod().equals(Methods.GET)
            || exchange.getRequestMethod().equals(Methods.HEAD);
    if (!safe && !session.get().csrfMatches(exchange.getRequestHeaders().getFirst(CSRF_HEADER))) {
      problems.send(
          exchange,
          403,
          "Forbidden",
          "a console request that changes state needs the session's CSRF token in the "
              + CSRF_HEADER
              + " header",
          null);
      return;
    }
    String rest = exchange.getRelativePath().substring(PREFIX.length() - 1);
    if (!rest.startsWith("/v1/")) {
      // Only the management API (never the device API or other trees) is reachable this way.
      problems.send(exchange, 404, "Not Found", "no such resource", null);
      return;
    }
    String path = "/api" + rest;
    exchange.setRequestPath(path);
    exchange.setRelativePath(path);
    exchange.setRequestURI(path);
    exchange.getRequestHeaders().remove(Headers.COOKIE);
    exchange.getRequestHeaders().put(Headers.AUTHORIZATION, "Bearer " + session.get().token());
    exchange.getResponseHeaders().put(HttpString.tryFromString("Cache-Control"), "no-store");
    api.handleRequest(exchange);
  }
}
