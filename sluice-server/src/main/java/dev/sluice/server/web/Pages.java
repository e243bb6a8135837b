package dev.sluice.server.web;

import dev.sluice.server.http.Call;
import dev.sluice.trust.hash.Sha256;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Renders the precompiled templates and sends pages with the headers every page carries: a
 * Content-Security-Policy that allows only Sluice's own scripts and styles (no inline script), no
 * framing, no MIME sniffing. Public pages are cacheable and revalidated with an ETag; console pages
 * are never stored.
 */
public final class Pages {
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
          + " form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
  static final String PUBLIC_CACHE = "public, max-age=30";
  static final String HTML = "text/html; charset=utf-8";

  private final TemplateEngine engine =
      TemplateEngine.createPrecompiled(
          null, ContentType.Html, Pages.class.getClassLoader(), "dev.sluice.server.web.templates");

  /** A page that says what went wrong, in place of the API's problem document. */
  public record ErrorPage(String title, String detail, boolean console) {}

  /**
   * Wraps a page endpoint: a domain failure (unknown release, a role that may not see the page, bad
   * input) is answered with an HTML page of the same status; anything else goes to the router's
   * problem mapping.
   */
  dev.sluice.server.http.Endpoint html(dev.sluice.server.http.Endpoint page) {
    return call -> {
      try {
        page.handle(call);
      } catch (dev.sluice.core.SluiceException e) {
        int status =
            switch (e) {
              case dev.sluice.core.SluiceException.NotFound n -> 404;
              case dev.sluice.core.SluiceException.InvalidInput i -> 400;
              case dev.sluice.core.SluiceException.Unauthenticated u -> 401;
              case dev.sluice.core.SluiceException.Forbidden f -> 403;
              case dev.sluice.core.SluiceException.Conflict c -> 409;
              case dev.sluice.core.SluiceException.TooLarge t -> 413;
              case dev.sluice.core.SluiceException.Gone g -> 410;
            };
        String title =
            switch (status) {
              case 404 -> "Not found";
              case 403 -> "Not allowed";
              case 401 -> "Sign-in needed";
              case 400 -> "Bad request";
              default -> "Cannot do that";
            };
        boolean console = call.exchange().getRequestPath().startsWith("/console");
        securityHeaders(call);
        call.bytes(
            status, HTML, render("error.jte", new ErrorPage(title, e.getMessage(), console)));
      }
    };
  }

  Pages() {}

  byte[] render(String template, Object model) {
    Utf8ByteOutput out = new Utf8ByteOutput();
    engine.render(template, model, out);
    return out.toByteArray();
  }

  /** A public page: cacheable briefly, 304 when the client's ETag matches. */
  void sendPublic(Call call, int status, String contentType, byte[] body) throws IOException {
    String etag = "\"" + Sha256.of(body).hex().substring(0, 32) + "\"";
    securityHeaders(call);
    call.header("ETag", etag);
    boolean matches =
        call.header("If-None-Match").map(h -> h.contains(etag)).orElse(false) && status == 200;
    if (matches) {
      call.exchange().setStatusCode(304);
      call.exchange().getResponseHeaders().put(Headers.CACHE_CONTROL, PUBLIC_CACHE);
      call.exchange().endExchange();
      return;
    }
    call.bytes(status, contentType, body, PUBLIC_CACHE);
  }

  /** A console page: never cached. */
  void sendPrivate(Call call, int status, byte[] body) throws IOException {
    securityHeaders(call);
    call.bytes(status, HTML, body, "no-store");
  }

  /** Like {@link #sendPrivate} with an ETag, for polled fragments (304 when unchanged). */
  void sendPolled(Call call, byte[] body) throws IOException {
    String etag = "\"" + Sha256.of(body).hex().substring(0, 32) + "\"";
    securityHeaders(call);
    call.header("ETag", etag);
    if (call.header("If-None-Match").map(h -> h.contains(etag)).orElse(false)) {
      call.exchange().setStatusCode(304);
      call.exchange().getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache, private");
      call.exchange().endExchange();
      return;
    }
    call.bytes(200, HTML, body, "no-cache, private");
  }

  static void securityHeaders(Call call) {
    call.header("Content-Security-Policy", CSP);
    call.header("X-Content-Type-Options", "nosniff");
    call.header("X-Frame-Options", "DENY");
    call.header("Referrer-Policy", "same-origin");
  }

  static void redirect(Call call, String location) throws IOException {
    securityHeaders(call);
    call.header("Location", location);
    call.exchange().setStatusCode(303);
    call.exchange().getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    try (OutputStream out = call.exchange().getOutputStream()) {
      out.flush();
    }
  }
}
