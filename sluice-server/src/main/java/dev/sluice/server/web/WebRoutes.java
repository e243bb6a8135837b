package dev.sluice.server.web;

import dev.sluice.server.http.Router;

/**
 * What the web pages declare: the router admits anyone (the portal is public; the console's pages
 * check their session cookie themselves and send the login page rather than 401), pages take the
 * query parameters their links carry, forms post URL-encoded bodies, and any {@code Accept} gets
 * HTML (browsers ask for it with many ranges).
 */
final class WebRoutes {
  private WebRoutes() {}

  static Router.Registration page(Router.Registration r) {
    return r.anyQuery().consumes("application/x-www-form-urlencoded").produces("*/*");
  }
}
