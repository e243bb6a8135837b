package dev.sluice.server.http;

import dev.sluice.api.WireJson;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Violations;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.device.Device;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Optional;

/** One HTTP request and its response, with the few operations endpoints need. */
public final class Call {
  /** JSON bodies smaller than this are sent as they are: gzip would save next to nothing. */
  static final int GZIP_MIN_BYTES = 1024;

  private final HttpServerExchange exchange;
  private final Router.Registration route;
  private Principal principal;
  private Device device;

  Call(HttpServerExchange exchange, Router.Registration route) {
    this.exchange = exchange;
    this.route = route;
  }

  /** Records the management principal the router admitted. */
  void admit(Principal admitted) {
    this.principal = admitted;
  }

  /** Records the device a {@link Router.DeviceGate} admitted. */
  public void admit(Device admitted) {
    this.device = admitted;
  }

  /**
   * The caller, admitted by the router for a route declared with {@link Access#token()} or {@link
   * Access#role}. A route declared otherwise has none: asking is a programming error.
   */
  public Principal principal() {
    if (principal == null) {
      throw new IllegalStateException("this route is not declared with a token access");
    }
    return principal;
  }

  /** The device admitted by the device gate for a route declared {@link Access#device()}. */
  public Device device() {
    if (device == null) {
      throw new IllegalStateException("this route is not declared with device access");
    }
    return device;
  }

  public HttpServerExchange exchange() {
    return exchange;
  }

  /** A path parameter of the route's template; always present for a matched route. */
  public String path(String name) {
    PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
    String value = match == null ? null : match.getParameters().get(name);
    if (value == null) {
      throw new SluiceException.InvalidInput("missing path parameter " + name);
    }
    return value;
  }

  public Optional<String> query(String name) {
    if (route != null && !route.accepts(name)) {
      throw new IllegalStateException("query parameter " + name + " is read but not declared");
    }
    Deque<String> values = exchange.getQueryParameters().get(name);
    if (values == null || values.isEmpty() || values.peekFirst().isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw new SluiceException.InvalidInput("query parameter " + name + " is given twice");
    }
    return Optional.of(values.peekFirst());
  }

  public int queryInt(String name, int defaultValue) {
    Optional<String> value = query(name);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.get());
    } catch (NumberFormatException e) {
      throw new SluiceException.InvalidInput("query parameter " + name + " must be an integer");
    }
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
  }

  /** The declared body length, if the client sent Content-Length. */
  public Optional<Long> contentLength() {
    long length = exchange.getRequestContentLength();
    return length < 0 ? Optional.empty() : Optional.of(length);
  }

  /**
   * The request body as a stream. With a {@code Content-Length}, a body that ends sooner fails with
   * an {@link java.io.EOFException} rather than looking complete.
   */
  public InputStream body() {
    long declared = exchange.getRequestContentLength();
    InputStream in = exchange.getInputStream();
    return declared < 0 ? in : new DeclaredLengthInputStream(in, declared);
  }

  /** Reads the whole body, refusing (413) more than {@code limit} bytes. */
  public byte[] bodyBytes(int limit) throws IOException {
    long declared = contentLength().orElse(0L);
    if (declared > limit) {
      discardModestExcess(declared, limit);
      throw new SluiceException.TooLarge(
          "the request body exceeds the limit of " + limit + " bytes", limit);
    }
    InputStream in = body();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) != -1) {
      out.write(buffer, 0, n);
      if (out.size() > limit) {
        throw new SluiceException.TooLarge(
            "the request body exceeds the limit of " + limit + " bytes", limit);
      }
    }
    return out.toByteArray();
  }

  /** How much more than its limit a declared body may be for it to be read and discarded. */
  static final long LINGERING_DISCARD_LIMIT = 64L << 20;

  /**
   * Reads and throws away a declared body that is over its limit by no more than {@link
   * #LINGERING_DISCARD_LIMIT}, so that the 413 answer reaches the client: a connection closed with
   * unread bytes in its receive buffer is reset, and the reset can destroy the answer before the
   * client, still sending, reads it. Larger bodies are not read; their connection is closed. The
   * socket's read timeout bounds a client that stalls while its body is discarded.
   */
  private void discardModestExcess(long declared, int limit) {
    if (declared - limit > LINGERING_DISCARD_LIMIT || exchange.isRequestComplete()) {
      return;
    }
    try {
      if (exchange.getMaxEntitySize() < declared) {
        exchange.setMaxEntitySize(declared);
      }
      exchange.getInputStream().transferTo(OutputStream.nullOutputStream());
    } catch (IOException | RuntimeException e) {
      // The client went away or stalled; the connection is closed after the 413 either way.
      exchange.setPersistent(false);
    }
  }

  /**
   * Reads the body, at most {@code limit} bytes, as a request record of {@code sluice-api}: every
   * problem of its fields goes into {@code violations} (the record's component is then {@code
   * null}); every text follows the one text rule ({@link RequestBodies#TEXT_RULE}).
   *
   * @throws SluiceException.InvalidInput if the body is not one JSON object
   */
  public <R extends Record> R body(Class<R> type, int limit, Violations violations)
      throws IOException {
    return RequestBodies.read(bodyBytes(limit), type, violations);
  }

  /**
   * {@link #body(Class, int, Violations)} for a body whose fields need no further check: any
   * problem is answered at once.
   */
  public <R extends Record> R body(Class<R> type, int limit) throws IOException {
    Violations violations = new Violations();
    R body = body(type, limit, violations);
    violations.throwIfAny();
    return body;
  }

  /** Sends {@code body} (a tree or a record of {@code sluice-api}) as JSON. */
  public void json(int status, Object body) throws IOException {
    byte[] bytes = WireJson.MAPPER.writeValueAsBytes(body);
    bytes(status, "application/json", bytes);
  }

  public void text(int status, String body) throws IOException {
    bytes(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  public void bytes(int status, String contentType, byte[] body) throws IOException {
    bytes(status, contentType, body, "no-store");
  }

  /** Sends a body with the given {@code Cache-Control} (e.g. immutable log tiles). */
  public void bytes(int status, String contentType, byte[] body, String cacheControl)
      throws IOException {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, cacheControl);
    byte[] sent = body;
    if (isJson(contentType)) {
      // JSON is compressed for clients that accept gzip; artifacts and tiles are sent as stored.
      exchange.getResponseHeaders().add(Headers.VARY, "Accept-Encoding");
      if (body.length >= GZIP_MIN_BYTES
          && MediaRanges.acceptsCoding(
              exchange.getRequestHeaders().getFirst(Headers.ACCEPT_ENCODING), "gzip")) {
        sent = gzip(body);
        exchange.getResponseHeaders().put(Headers.CONTENT_ENCODING, "gzip");
      }
    }
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, sent.length);
    if (isHead()) {
      exchange.endExchange();
      return;
    }
    try (OutputStream out = exchange.getOutputStream()) {
      out.write(sent);
    }
  }

  private boolean isHead() {
    return exchange.getRequestMethod().equals(io.undertow.util.Methods.HEAD);
  }

  private static boolean isJson(String contentType) {
    String type = Conventions.mediaType(contentType).orElse("");
    return type.equals("application/json") || type.endsWith("+json");
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(body);
    }
    return out.toByteArray();
  }

  /**
   * Sends public, cacheable bytes (log tiles and checkpoints, TUF metadata) with a strong ETag
   * derived from their SHA-256, answering {@code If-None-Match} with 304 and no body (RFC 9110
   * 13.1.2), so caches and CDNs revalidate cheaply.
   */
  public void cacheable(String contentType, byte[] body, String cacheControl) throws IOException {
    cacheable(contentType, body, cacheControl, etagOf(body));
  }

  /**
   * {@link #cacheable(String, byte[], String)} with the ETag {@link #etagOf} gave for the same
   * bytes before (bytes that never change, such as full hash tiles, need it computed once).
   */
  public void cacheable(String contentType, byte[] body, String cacheControl, String etag)
      throws IOException {
    if (!notModified(exchange, cacheControl, etag)) {
      bytes(200, contentType, body, cacheControl);
    }
  }

  /** The strong ETag that {@link #cacheable} sends for {@code body}: from its SHA-256. */
  public static String etagOf(byte[] body) {
    return "\"" + dev.sluice.trust.hash.Sha256.of(body).hex().substring(0, 32) + "\"";
  }

  /**
   * {@link #cacheable(String, byte[], String, String)} from the connection's I/O thread, without
   * blocking, for a non-JSON body held in memory (sent as it is, never compressed).
   */
  public static void cacheableFromIoThread(
      HttpServerExchange exchange,
      String contentType,
      byte[] body,
      String cacheControl,
      String etag) {
    if (isJson(contentType)) {
      throw new IllegalArgumentException("a JSON body is sent by cacheable, which may compress it");
    }
    if (notModified(exchange, cacheControl, etag)) {
      return;
    }
    exchange.setStatusCode(200);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, cacheControl);
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
    if (exchange.getRequestMethod().equals(io.undertow.util.Methods.HEAD)) {
      exchange.endExchange();
      return;
    }
    exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(body));
  }

  /** Puts the ETag; answers 304 (and returns true) when If-None-Match names it. */
  private static boolean notModified(
      HttpServerExchange exchange, String cacheControl, String etag) {
    exchange.getResponseHeaders().put(Headers.ETAG, etag);
    String ifNoneMatch = exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH);
    if (ifNoneMatch == null || !etagMatches(ifNoneMatch, etag)) {
      return false;
    }
    exchange.setStatusCode(304);
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, cacheControl);
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
    exchange.endExchange();
    return true;
  }

  /** Weak comparison, as If-None-Match uses (RFC 9110 13.1.2). */
  private static boolean etagMatches(String header, String etag) {
    for (String candidate : header.split(",")) {
      String c = candidate.strip();
      if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }

  /** Streams a body of known length, e.g. an artifact. */
  public void stream(int status, String contentType, long length, InputStream content)
      throws IOException {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, length);
    if (isHead()) {
      content.close();
      exchange.endExchange();
      return;
    }
    try (InputStream in = content;
        OutputStream out = exchange.getOutputStream()) {
      in.transferTo(out);
    }
  }

  public void header(String name, String value) {
    exchange.getResponseHeaders().put(io.undertow.util.HttpString.tryFromString(name), value);
  }
}
