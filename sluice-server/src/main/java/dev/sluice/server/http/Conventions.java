package dev.sluice.server.http;

import dev.sluice.core.SluiceException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The request checks every route gets from the {@link Router}: unknown query parameters (400,
 * naming them), a request body of a media type the route does not consume (415), an {@code Accept}
 * header that excludes everything the route produces (406). A request without {@code Content-Type}
 * or {@code Accept} is taken as it comes: clients that send neither keep working.
 */
final class Conventions {
  private Conventions() {}

  /** Returns false when the request was answered here (415, 406); throws 400 for the query. */
  static boolean check(Call call, Route route, Problems problems) {
    HttpServerExchange ex = call.exchange();
    if (!route.anyQuery()) {
      TreeSet<String> unknown = new TreeSet<>(ex.getQueryParameters().keySet());
      unknown.removeAll(route.query());
      if (!unknown.isEmpty()) {
        String name = unknown.first();
        String accepted =
            route.query().isEmpty()
                ? "this operation takes no query parameters"
                : "this operation accepts " + String.join(", ", new TreeSet<>(route.query()));
        String message = "unknown query parameter '" + clip(name) + "'; " + accepted;
        throw new SluiceException.InvalidInput(
            message, List.of(new SluiceException.Violation("query." + clip(name), message)), null);
      }
    }
    if (!route.consumes().isEmpty() && hasBody(ex)) {
      Optional<String> type = mediaType(ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE));
      if (type.isPresent()
          && !route.consumes().contains(type.get())
          && !route.consumes().contains("*/*")) {
        problems.send(
            ex,
            415,
            "Unsupported Media Type",
            "this operation reads "
                + String.join(" or ", route.consumes())
                + ", not "
                + clip(type.get()),
            null);
        return false;
      }
    }
    String accept = ex.getRequestHeaders().getFirst(Headers.ACCEPT);
    if (accept != null
        && route.produces().stream().noneMatch(p -> MediaRanges.accepts(accept, p))) {
      problems.send(
          ex,
          406,
          "Not Acceptable",
          "this operation answers "
              + String.join(" or ", route.produces())
              + "; Accept excludes it",
          null);
      return false;
    }
    return true;
  }

  private static boolean hasBody(HttpServerExchange ex) {
    return ex.getRequestContentLength() > 0
        || ex.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
  }

  /** {@code type/subtype} of a Content-Type, lower-case, without parameters. */
  static Optional<String> mediaType(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    int semicolon = header.indexOf(';');
    String bare = (semicolon < 0 ? header : header.substring(0, semicolon)).strip();
    return Optional.of(bare.toLowerCase(Locale.ROOT));
  }

  private static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
