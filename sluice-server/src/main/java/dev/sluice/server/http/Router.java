package dev.sluice.server.http;

import dev.sluice.core.SluiceException;
import dev.sluice.core.auth.Principal;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.HttpContinueReadHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.PathTemplateMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Maps method and path template to endpoints, and holds the conventions every route keeps, so that
 * no endpoint can forget them: who may call it ({@link Access}, checked before the endpoint runs),
 * HEAD wherever GET is, 405 with {@code Allow} for a known path and another method, 415 for a body
 * it does not consume, 406 when {@code Accept} excludes what it produces, and 400 naming a query
 * parameter it does not accept. Endpoints run off the I/O threads on the blocking executor (they
 * talk to the database and stream bodies); every failure becomes a problem document in {@link
 * Problems}, the one place where errors are turned into responses.
 */
public final class Router {
  private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

  // false: path parameters stay out of the query parameters (they are checked against the route).
  private final RoutingHandler routing = new RoutingHandler(false);
  private final List<Registration> registrations = new ArrayList<>();
  private final Map<String, HttpHandler> prefixes = new LinkedHashMap<>();
  private final Map<String, Set<String>> methodsByTemplate = new LinkedHashMap<>();
  private final PathTemplateMatcher<Set<String>> templates = new PathTemplateMatcher<>();
  private final Map<String, HttpHandler> getHandlers = new LinkedHashMap<>();
  private final Map<String, HttpHandler> headHandlers = new LinkedHashMap<>();
  private final List<String> direct = new ArrayList<>();
  private final Problems problems;
  private final Executor blocking;
  private final Instrumentation instrumentation;
  private final Gates gates;

  /** Wraps each route's handler, e.g. to time it by route template (metrics). */
  @FunctionalInterface
  public interface Instrumentation {
    HttpHandler wrap(String method, String template, HttpHandler handler);

    Instrumentation NONE = (method, template, handler) -> handler;
  }

  /** Resolves a management bearer token to its principal; throws 401 (or 403) failures. */
  @FunctionalInterface
  public interface TokenGate {
    Principal principal(Call call);
  }

  /**
   * Admits a device on the DDI API (its credential, its rate), recording it on the call with {@link
   * Call#admit(dev.sluice.core.device.Device)}; returns false when it has answered itself (429).
   */
  @FunctionalInterface
  public interface DeviceGate {
    boolean admit(Call call) throws Exception;
  }

  /** The checks behind {@link Access.Token} and {@link Access.Device}; a router may lack either. */
  public record Gates(Optional<TokenGate> tokens, Optional<DeviceGate> devices) {
    public static Gates none() {
      return new Gates(Optional.empty(), Optional.empty());
    }
  }

  public Router(
      Problems problems, Executor blocking, Instrumentation instrumentation, Gates gates) {
    this.problems = problems;
    this.blocking = blocking;
    this.instrumentation = instrumentation;
    this.gates = gates;
    routing.setFallbackHandler(
        exchange -> problems.send(exchange, 404, "Not Found", "no such resource", null));
    routing.setInvalidMethodHandler(this::methodNotAllowed);
  }

  /** A router of public routes only (no gates), e.g. the web pages. */
  public Router(Problems problems, Executor blocking) {
    this(problems, blocking, Instrumentation.NONE, Gates.none());
  }

  /**
   * What a route declares beyond its access: the query parameters it accepts, the media types it
   * consumes and produces. Set while registering; read on every request.
   */
  public final class Registration {
    private final String method;
    private final String template;
    private final boolean prefix;
    private final Access access;
    private List<String> consumes;
    private List<String> produces = List.of("application/json");
    private Set<String> query = Set.of();
    private boolean anyQuery;

    private Registration(String method, String template, boolean prefix, Access access) {
      this.method = method;
      this.template = template;
      this.prefix = prefix;
      this.access = access;
      this.consumes = BODY_METHODS.contains(method) ? List.of("application/json") : List.of();
    }

    /** The query parameters this route accepts; any other is answered 400. */
    public Registration query(String... names) {
      this.query = Set.of(names);
      return this;
    }

    /**
     * Accepts query parameters it does not know (hawkBit DDI clients and the links they follow may
     * carry parameters of their own), besides those named with {@link #query}.
     */
    public Registration anyQuery() {
      this.anyQuery = true;
      return this;
    }

    /** The request media types this route reads ({@code application/json} for a body method). */
    public Registration consumes(String... mediaTypes) {
      this.consumes = List.of(mediaTypes);
      return this;
    }

    /** The response media types this route answers with ({@code application/json} by default). */
    public Registration produces(String... mediaTypes) {
      this.produces = List.of(mediaTypes);
      return this;
    }

    Route route() {
      return new Route(method, template, prefix, access, consumes, produces, query, anyQuery);
    }

    boolean accepts(String name) {
      return anyQuery || query.contains(name);
    }
  }

  public Registration get(String template, Access access, Endpoint endpoint) {
    return add("GET", template, access, endpoint);
  }

  public Registration post(String template, Access access, Endpoint endpoint) {
    return add("POST", template, access, endpoint);
  }

  public Registration put(String template, Access access, Endpoint endpoint) {
    return add("PUT", template, access, endpoint);
  }

  public Registration patch(String template, Access access, Endpoint endpoint) {
    return add("PATCH", template, access, endpoint);
  }

  public Registration delete(String template, Access access, Endpoint endpoint) {
    return add("DELETE", template, access, endpoint);
  }

  /** Registers an endpoint; a GET endpoint answers HEAD too (same headers, no body). */
  public Registration add(String method, String template, Access access, Endpoint endpoint) {
    if (method.equals("HEAD")) {
      throw new IllegalArgumentException("HEAD is answered by the GET route of " + template);
    }
    Registration r = register(method, template, false, access);
    HttpHandler handler = guarded(r, endpoint);
    route(method, template, instrumentation.wrap(method, template, handler));
    if (method.equals("GET")) {
      route("HEAD", template, instrumentation.wrap("HEAD", template, handler));
    }
    return r;
  }

  /**
   * Registers a GET (and HEAD) endpoint for every path under {@code prefix} (which ends in '/'),
   * for resource trees such as C2SP tlog-tiles whose paths have no fixed depth. The endpoint reads
   * the rest of the path itself; other methods get 405.
   */
  public Registration getPrefix(String prefix, Access access, Endpoint endpoint) {
    return getPrefix(prefix, access, null, endpoint);
  }

  /** Answers a request from memory on the I/O thread, or declines (false) having sent nothing. */
  @FunctionalInterface
  public interface MemoryAnswer {
    boolean answered(HttpServerExchange exchange) throws Exception;
  }

  /**
   * {@link #getPrefix(String, Access, Endpoint)} for public resources usually answered from memory
   * (C2SP tiles): a request that needs none of the route's checks to be answered (no query
   * parameter, no body, an {@code Accept} that admits what the route produces, or none) is first
   * offered to {@code fromMemory} on the I/O thread, with no dispatch; any other, and one it
   * declines, runs {@code endpoint} on the blocking executor after every check, as before.
   */
  public Registration getPrefix(
      String prefix, Access access, MemoryAnswer fromMemory, Endpoint endpoint) {
    if (fromMemory != null && !(access instanceof Access.Public)) {
      throw new IllegalArgumentException("only a public route is answered from memory: " + prefix);
    }
    if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
      throw new IllegalArgumentException("a prefix starts and ends with '/': " + prefix);
    }
    Registration r = register("GET", prefix, true, access);
    HttpHandler blockingPath = guarded(r, endpoint);
    HttpHandler handler =
        instrumentation.wrap(
            "GET",
            prefix + "*",
            fromMemory == null
                ? blockingPath
                : exchange -> {
                  if (!(needsNoCheck(exchange, r) && fromMemory.answered(exchange))) {
                    blockingPath.handleRequest(exchange);
                  }
                });
    prefixes.put(
        prefix,
        exchange -> {
          String m = exchange.getRequestMethod().toString();
          if (m.equals("GET") || m.equals("HEAD")) {
            handler.handleRequest(exchange);
          } else {
            methodNotAllowed(exchange, List.of("GET", "HEAD"));
          }
        });
    return r;
  }

  /**
   * Registers a handler that runs on the I/O thread, for hot paths answered from memory (a quiet
   * DDI poll). It must not block and checks its caller itself (from memory, or by handing the
   * exchange to {@link #dispatching(Endpoint)}'s handler).
   */
  public Registration io(String method, String template, Access access, HttpHandler handler) {
    Registration r = register(method, template, false, access);
    route(method, template, instrumentation.wrap(method, template, handler));
    if (method.equals("GET")) {
      route("HEAD", template, instrumentation.wrap("HEAD", template, handler));
    }
    return r;
  }

  /**
   * The handler that runs {@code endpoint} on the blocking executor, for an {@link #io} route's
   * slow path: no gate runs (the endpoint checks its caller, as the I/O handler did).
   */
  public HttpHandler dispatching(Endpoint endpoint) {
    Registration r = new Registration("GET", "", false, Access.publicRead()).anyQuery();
    return guarded(r.produces("*/*"), endpoint);
  }

  /** The problem writer of this router. */
  public Problems problems() {
    return problems;
  }

  /** Every route registered, with what it declares (HEAD routes are implied by GET ones). */
  public List<Route> routes() {
    return registrations.stream().map(Registration::route).toList();
  }

  /**
   * Matches the GET (and HEAD) route of {@code template}, registered already, by hand ({@link
   * DirectTemplate}) before Undertow's matcher, for the hottest route (the DDI poll): a path of
   * exactly its segments reaches the same handler with the same parameters as through Undertow's
   * matcher, and any other path goes on to that matcher. {@link #handler()} refuses it if another
   * GET or HEAD route could match one of its paths, so that no route is ever shadowed.
   */
  public void matchDirectly(String template) {
    new DirectTemplate(template);
    if (!getHandlers.containsKey(template)) {
      throw new IllegalArgumentException("no GET route " + template);
    }
    direct.add(template);
  }

  public HttpHandler handler() {
    HttpHandler general = generalHandler();
    if (direct.isEmpty()) {
      return general;
    }
    List<DirectTemplate> hand = new ArrayList<>();
    for (String template : direct) {
      DirectTemplate d = new DirectTemplate(template);
      for (Map.Entry<String, Set<String>> other : methodsByTemplate.entrySet()) {
        if ((other.getValue().contains("GET") || other.getValue().contains("HEAD"))
            && d.overlaps(other.getKey())) {
          throw new IllegalStateException(
              "route " + other.getKey() + " may match paths of " + template + ": not by hand");
        }
      }
      hand.add(d);
    }
    List<DirectTemplate> matchers = List.copyOf(hand);
    return exchange -> {
      HttpString method = exchange.getRequestMethod();
      boolean get = Methods.GET.equals(method);
      if (get || Methods.HEAD.equals(method)) {
        // Prefix routes come first, as in the general handler.
        String path = exchange.getRequestPath();
        boolean prefixed = false;
        for (String prefix : prefixes.keySet()) {
          if (path.startsWith(prefix)) {
            prefixed = true;
            break;
          }
        }
        if (!prefixed) {
          String relative = exchange.getRelativePath();
          for (DirectTemplate d : matchers) {
            Map<String, String> parameters = d.match(relative);
            if (parameters != null) {
              exchange.putAttachment(
                  PathTemplateMatch.ATTACHMENT_KEY,
                  new PathTemplateMatch(d.template(), parameters));
              (get ? getHandlers : headHandlers).get(d.template()).handleRequest(exchange);
              return;
            }
          }
        }
      }
      general.handleRequest(exchange);
    };
  }

  private HttpHandler generalHandler() {
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

  private Registration register(String method, String template, boolean prefix, Access access) {
    switch (access) {
      case Access.Token t when gates.tokens().isEmpty() ->
          throw new IllegalStateException("no token gate for " + method + " " + template);
      case Access.Device d when gates.devices().isEmpty() ->
          throw new IllegalStateException("no device gate for " + method + " " + template);
      default -> {}
    }
    Registration r = new Registration(method, template, prefix, access);
    registrations.add(r);
    return r;
  }

  private void route(String method, String template, HttpHandler handler) {
    routing.add(HttpString.tryFromString(method), template, handler);
    if (method.equals("GET")) {
      getHandlers.put(template, handler);
    } else if (method.equals("HEAD")) {
      headHandlers.put(template, handler);
    }
    Set<String> methods = methodsByTemplate.get(template);
    if (methods == null) {
      methods = new LinkedHashSet<>();
      methodsByTemplate.put(template, methods);
      templates.add(template, methods);
    }
    methods.add(method);
  }

  private void methodNotAllowed(HttpServerExchange exchange) {
    PathTemplateMatcher.PathMatchResult<Set<String>> match =
        templates.match(exchange.getRelativePath());
    methodNotAllowed(exchange, match == null ? List.of() : match.getValue());
  }

  private void methodNotAllowed(HttpServerExchange exchange, java.util.Collection<String> allowed) {
    exchange.getResponseHeaders().put(Headers.ALLOW, String.join(", ", allowed));
    problems.send(
        exchange,
        405,
        "Method Not Allowed",
        exchange.getRequestMethod()
            + " is not allowed on "
            + exchange.getRequestPath()
            + "; allowed: "
            + String.join(", ", allowed),
        null);
  }

  /**
   * Whether {@link Conventions#check} has nothing to refuse in the request: no query parameter, no
   * body, and no {@code Accept} or one that admits a type the route produces.
   */
  private static boolean needsNoCheck(HttpServerExchange exchange, Registration r) {
    if (!exchange.getQueryParameters().isEmpty()
        || exchange.getRequestContentLength() > 0
        || exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)) {
      return false;
    }
    String accept = exchange.getRequestHeaders().getFirst(Headers.ACCEPT);
    return accept == null || r.produces.stream().anyMatch(p -> MediaRanges.accepts(accept, p));
  }

  /**
   * Runs the route's checks, then its access, then the endpoint, on the blocking executor. A
   * request that expects {@code 100 Continue} gets it when the endpoint first reads the body; one
   * refused before that (a missing token, a role, an upload the release does not take) gets its
   * final answer without the client sending the body, and its connection is closed instead of
   * drained.
   */
  private HttpHandler guarded(Registration r, Endpoint endpoint) {
    HttpHandler checked =
        exchange -> {
          exchange.startBlocking();
          Call call = new Call(exchange, r);
          try {
            if (Conventions.check(call, r.route(), problems) && admit(call, r.access)) {
              endpoint.handle(call);
            }
          } catch (Exception e) {
            problems.send(exchange, e);
          }
        };
    HttpHandler run = new HttpContinueReadHandler(checked);
    return (HttpServerExchange exchange) -> {
      if (exchange.isInIoThread()) {
        exchange.dispatch(blocking, run);
      } else {
        run.handleRequest(exchange);
      }
    };
  }

  private boolean admit(Call call, Access access) throws Exception {
    return switch (access) {
      case Access.Public p -> true;
      case Access.Token t -> {
        Principal principal = gates.tokens().orElseThrow().principal(call);
        if (!t.allows(principal.role())) {
          throw new SluiceException.Forbidden(
              "the "
                  + principal.role().wireName()
                  + " role may not do this (allowed: "
                  + String.join(
                      ", ", t.roles().stream().map(role -> role.wireName()).sorted().toList())
                  + ")");
        }
        call.admit(principal);
        yield true;
      }
      case Access.Device d -> gates.devices().orElseThrow().admit(call);
    };
  }
}
