package dev.sluice.server.web;

import dev.sluice.core.audit.AuditService;
import dev.sluice.core.catalog.ProductService;
import dev.sluice.core.certification.CertificationService;
import dev.sluice.core.device.DeviceService;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.release.ReleaseService;
import dev.sluice.core.release.StatusNotes;
import dev.sluice.core.rollout.RolloutService;
import dev.sluice.core.tlog.TransparencyLog;
import dev.sluice.core.token.TokenService;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Problems;
import dev.sluice.server.http.Router;
import io.undertow.server.HttpHandler;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * The browser face of Sluice, registered in one place: the public transparency portal ({@code /},
 * {@code /releases/}, {@code /log}, {@code /certifiers}, {@code /feeds/}), the operator console
 * ({@code /console}) and their static files ({@code /assets/}). These pages are not part of the
 * management API: they have their own router, and {@link #handler} passes every other path to the
 * API's.
 */
public final class Web {
  private final Router router;
  private final ConsoleProxy proxy;
  private final Sessions sessions;

  /** The services the pages read from; the log and the policy source are the public ones. */
  public record Services(
      ProductService products,
      ReleaseService releases,
      CertificationService certification,
      StatusNotes notes,
      AuditService audit,
      TokenService tokens,
      DeviceService devices,
      RolloutService rollouts,
      TransparencyLog log,
      Transactions transactions) {}

  public Web(Services s, PolicySource policies, Executor blocking, Clock clock) {
    Problems problems = new Problems();
    this.router = new Router(problems, blocking);
    Pages pages = new Pages();
    this.sessions = new Sessions(s.transactions(), clock);
    ReleaseFacts facts =
        new ReleaseFacts(s.releases(), s.certification(), s.notes(), s.transactions(), s.log());
    new Portal(s.products(), facts, policies, s.log(), s.transactions(), pages).register(router);
    new Console(
            sessions,
            s.tokens(),
            s.products(),
            s.releases(),
            s.certification(),
            s.audit(),
            s.rollouts(),
            s.devices(),
            s.transactions(),
            facts,
            pages)
        .register(router);
    Assets assets = new Assets();
    WebRoutes.page(router.get("/assets/{file}", Access.publicRead(), assets::serve));
    this.proxy = new ConsoleProxy(sessions, problems, blocking);
  }

  /** The periodic work of the web pages: removing expired console sessions. */
  public java.util.List<dev.sluice.server.jobs.PeriodicJob> jobs() {
    return java.util.List.of(sessions.job());
  }

  /** A handler that answers the web pages and passes everything else to {@code api}. */
  public HttpHandler handler(HttpHandler api) {
    HttpHandler pages = router.handler();
    return exchange -> {
      String path = exchange.getRelativePath();
      if (path.startsWith(ConsoleProxy.PREFIX)) {
        proxy.handle(exchange, api);
      } else if (isPage(path)) {
        pages.handleRequest(exchange);
      } else {
        api.handleRequest(exchange);
      }
    };
  }

  static boolean isPage(String path) {
    return path.equals("/")
        || path.equals("/log")
        || path.equals("/certifiers")
        || path.equals("/console")
        || path.startsWith("/console/")
        || path.startsWith("/releases/")
        || path.startsWith("/feeds/")
        || path.startsWith("/assets/");
  }
}
