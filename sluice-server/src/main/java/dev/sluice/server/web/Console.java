package dev.sluice.server.web;

import dev.sluice.core.SluiceException;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.audit.AuditQuery;
import dev.sluice.core.audit.AuditService;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.catalog.ProductService;
import dev.sluice.core.certification.CertificationService;
import dev.sluice.core.certification.ReleaseStatement;
import dev.sluice.core.certification.SignOff;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DevicePage;
import dev.sluice.core.device.DeviceService;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.Product;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseService;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.core.rollout.Rollout;
import dev.sluice.core.rollout.RolloutId;
import dev.sluice.core.rollout.RolloutRepository;
import dev.sluice.core.rollout.RolloutService;
import dev.sluice.core.rollout.RolloutView;
import dev.sluice.core.token.TokenService;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Router;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator console at {@code /console}: pages for releases, certification, rollouts and the
 * fleet, rendered for the signed-in user with the services and the roles of the management API
 * (every read and change goes through the same authorization). State changes are sent by the
 * console's script to {@code /console/api/...} ({@link ConsoleProxy}).
 */
public final class Console {
  private static final int FORM_LIMIT = 8 * 1024;

  private final Sessions sessions;
  private final TokenService tokens;
  private final ProductService products;
  private final ReleaseService releases;
  private final CertificationService certification;
  private final AuditService audit;
  private final RolloutService rollouts;
  private final DeviceService devices;
  private final Transactions transactions;
  private final ReleaseFacts facts;
  private final Pages pages;

  Console(
      Sessions sessions,
      TokenService tokens,
      ProductService products,
      ReleaseService releases,
      CertificationService certification,
      AuditService audit,
      RolloutService rollouts,
      DeviceService devices,
      Transactions transactions,
      ReleaseFacts facts,
      Pages pages) {
    this.sessions = sessions;
    this.tokens = tokens;
    this.products = products;
    this.releases = releases;
    this.certification = certification;
    this.audit = audit;
    this.rollouts = rollouts;
    this.devices = devices;
    this.transactions = transactions;
    this.facts = facts;
    this.pages = pages;
  }

  /** Who is signed in, and the CSRF token the page's script sends with state changes. */
  public record Who(String name, String role, String csrf) {}

  public record Login(String csrf, String error) {}

  public record ReleasesPage(Who who, List<ReleaseFacts.Row> releases, List<Product> products) {}

  public record ReleasePage(
      Who who,
      ReleaseFacts.Row row,
      CapabilityDiff diff,
      List<SignOff> signOffs,
      List<AuditEvent> trail,
      String statementSha256) {}

  /** A release that awaits the signed-in certifier's decision. */
  public record Awaiting(Release release, String statementSha256, CapabilityDiff diff) {}

  public record CertifyPage(Who who, String certifier, List<Awaiting> awaiting) {}

  public record RolloutsPage(Who who, List<Rollout> rollouts, List<Release> releases) {}

  public record RolloutPage(Who who, RolloutView view, String chart, long members) {
    public String id() {
      return view.rollout().id().value();
    }
  }

  public record FleetPage(
      Who who,
      List<Device> devices,
      String chart,
      List<Product> products,
      String product,
      String filter,
      long total) {}

  public record DevicePageModel(
      Who who, Device device, List<dev.sluice.core.action.Action> actions) {}

  void register(Router router) {
    WebRoutes.page(
        router.get(
            "/console", Access.publicRead(), call -> Pages.redirect(call, "/console/releases")));
    WebRoutes.page(router.get("/console/login", Access.publicRead(), this::loginForm));
    WebRoutes.page(router.post("/console/login", Access.publicRead(), this::login));
    WebRoutes.page(router.post("/console/logout", Access.publicRead(), this::logout));
    WebRoutes.page(
        router.get(
            "/console/releases",
            Access.publicRead(),
            pages.html(call -> page(call, this::releasesPage))));
    WebRoutes.page(
        router.get(
            "/console/releases/{id}",
            Access.publicRead(),
            pages.html(call -> page(call, this::releasePage))));
    WebRoutes.page(
        router.get(
            "/console/certify",
            Access.publicRead(),
            pages.html(call -> page(call, this::certifyPage))));
    WebRoutes.page(
        router.get(
            "/console/rollouts",
            Access.publicRead(),
            pages.html(call -> page(call, this::rolloutsPage))));
    WebRoutes.page(
        router.get(
            "/console/rollouts/{id}",
            Access.publicRead(),
            pages.html(call -> page(call, this::rolloutPage))));
    WebRoutes.page(
        router.get("/console/rollouts/{id}/live", Access.publicRead(), this::rolloutLive));
    WebRoutes.page(
        router.get(
            "/console/fleet",
            Access.publicRead(),
            pages.html(call -> page(call, this::fleetPage))));
    WebRoutes.page(
        router.get(
            "/console/devices/{id}",
            Access.publicRead(),
            pages.html(call -> page(call, this::devicePage))));
  }

  @FunctionalInterface
  private interface PageRenderer {
    byte[] render(Call call, Principal actor, Who who) throws IOException;
  }

  /** Renders a page for the signed-in user, or sends the browser to the login form. */
  private void page(Call call, PageRenderer renderer) throws IOException {
    Optional<Signed> signed = signedIn(call);
    if (signed.isEmpty()) {
      Pages.redirect(call, "/console/login");
      return;
    }
    Signed s = signed.get();
    Who who = new Who(s.actor().name(), s.actor().role().wireName(), s.session().csrf());
    pages.sendPrivate(call, 200, renderer.render(call, s.actor(), who));
  }

  record Signed(Sessions.Session session, Principal actor) {}

  private Optional<Signed> signedIn(Call call) {
    Optional<Sessions.Session> session = sessions.find(cookie(call, ConsoleProxy.COOKIE));
    if (session.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Signed(session.get(), tokens.authenticate(session.get().token())));
    } catch (SluiceException.Unauthenticated | SluiceException.Forbidden e) {
      sessions.end(cookie(call, ConsoleProxy.COOKIE));
      return Optional.empty();
    }
  }

  private void loginForm(Call call) throws IOException {
    String csrf = sessions.randomToken();
    setCookie(call, ConsoleProxy.LOGIN_COOKIE, csrf, "/console/login", -1);
    pages.sendPrivate(call, 200, pages.render("console/login.jte", new Login(csrf, "")));
  }

  private void login(Call call) throws IOException {
    Map<String, String> form = form(call);
    String expected = cookie(call, ConsoleProxy.LOGIN_COOKIE);
    String csrf = form.getOrDefault("csrf", "");
    if (expected == null
        || !java.security.MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            csrf.getBytes(StandardCharsets.US_ASCII))) {
      relogin(call, 403, "The sign-in form expired. Please try again.");
      return;
    }
    String token = form.getOrDefault("token", "").strip();
    try {
      tokens.authenticate(token);
    } catch (SluiceException.Unauthenticated | SluiceException.Forbidden e) {
      relogin(call, 401, "Sign-in refused: " + e.getMessage() + ".");
      return;
    }
    String id = sessions.create(token);
    setCookie(call, ConsoleProxy.LOGIN_COOKIE, "", "/console/login", 0);
    setCookie(call, ConsoleProxy.COOKIE, id, "/console", -1);
    Pages.redirect(call, "/console/releases");
  }

  private void relogin(Call call, int status, String error) throws IOException {
    String csrf = sessions.randomToken();
    setCookie(call, ConsoleProxy.LOGIN_COOKIE, csrf, "/console/login", -1);
    pages.sendPrivate(call, status, pages.render("console/login.jte", new Login(csrf, error)));
  }

  private void logout(Call call) throws IOException {
    String id = cookie(call, ConsoleProxy.COOKIE);
    Optional<Sessions.Session> session = sessions.find(id);
    Map<String, String> form = form(call);
    if (session.isPresent() && !session.get().csrfMatches(form.get("csrf"))) {
      throw new SluiceException.Forbidden("the request lacks this session's CSRF token");
    }
    sessions.end(id);
    setCookie(call, ConsoleProxy.COOKIE, "", "/console", 0);
    Pages.redirect(call, "/console/login");
  }

  private byte[] releasesPage(Call call, Principal actor, Who who) {
    List<ReleaseFacts.Row> rows = new ArrayList<>();
    List<Release> listed = releases.list(Optional.empty(), Optional.empty(), 200);
    var notes = facts.notes(listed);
    for (Release r : listed) {
      rows.add(facts.row(r, Optional.ofNullable(notes.get(r.id()))));
    }
    return pages.render("console/releases.jte", new ReleasesPage(who, rows, products.products()));
  }

  private byte[] releasePage(Call call, Principal actor, Who who) {
    var id = Portal.releaseId(call.path("id"));
    ReleaseFacts.Row row = facts.row(id);
    List<AuditEvent> trail;
    try {
      trail = audit.list(actor, new AuditQuery(Optional.of("release/" + id.value()), 0, 200));
    } catch (SluiceException.Forbidden e) {
      trail = List.of();
    }
    String statement = "";
    if (row.release().state() != ReleaseState.DRAFT
        && row.release().state() != ReleaseState.BLOCKED) {
      statement = certification.statement(id).sha256().hex();
    }
    return pages.render(
        "console/release.jte",
        new ReleasePage(who, row, facts.diff(row.release()), facts.signOffs(id), trail, statement));
  }

  private byte[] certifyPage(Call call, Principal actor, Who who) {
    List<Awaiting> awaiting = new ArrayList<>();
    String certifier = actor.certifier().map(c -> c.value()).orElse("");
    if (actor.certifier().isPresent()) {
      var me = actor.certifier().get();
      for (Release r : releases.list(Optional.empty(), Optional.of(ReleaseState.CHECKED), 200)) {
        Product product = products.product(r.product());
        boolean decided = facts.signOffs(r.id()).stream().anyMatch(s -> s.certifier().equals(me));
        if (product.isCertifier(me) && !decided) {
          ReleaseStatement statement = certification.statement(r.id());
          awaiting.add(new Awaiting(r, statement.sha256().hex(), facts.diff(r)));
        }
      }
    }
    return pages.render("console/certify.jte", new CertifyPage(who, certifier, awaiting));
  }

  private byte[] rolloutsPage(Call call, Principal actor, Who who) {
    List<Rollout> list;
    try {
      list = rollouts.list(actor, Optional.empty(), 100);
    } catch (SluiceException.Forbidden e) {
      list = List.of();
    }
    List<Release> published =
        releases.list(Optional.empty(), Optional.of(ReleaseState.PUBLISHED), 100);
    return pages.render("console/rollouts.jte", new RolloutsPage(who, list, published));
  }

  private byte[] rolloutPage(Call call, Principal actor, Who who) {
    return pages.render("console/rollout.jte", rolloutModel(call, actor, who));
  }

  private RolloutPage rolloutModel(Call call, Principal actor, Who who) {
    RolloutId id;
    try {
      id = new RolloutId(call.path("id"));
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("rollout", call.path("id"));
    }
    RolloutView view = rollouts.rollout(actor, id);
    var outcomes = transactions.read(repos -> repos.rollouts().outcomes(id, 100_000));
    long members = transactions.read(repos -> repos.rollouts().memberCount(id));
    return new RolloutPage(who, view, chart(view, outcomes, members), members);
  }

  /** The rollout's live part, polled by the page's script with If-None-Match. */
  private void rolloutLive(Call call) throws IOException {
    Optional<Signed> signed = signedIn(call);
    if (signed.isEmpty()) {
      throw new SluiceException.Unauthenticated("sign in to the console first");
    }
    Signed s = signed.get();
    Who who = new Who(s.actor().name(), s.actor().role().wireName(), s.session().csrf());
    pages.sendPolled(
        call, pages.render("console/rolloutlive.jte", rolloutModel(call, s.actor(), who)));
  }

  private static String chart(
      RolloutView view, List<RolloutRepository.Outcome> outcomes, long members) {
    List<Svg.Point> ok = new ArrayList<>();
    List<Svg.Point> failed = new ArrayList<>();
    long start = view.rollout().startedAt().orElse(view.rollout().createdAt()).toEpochMilli();
    ok.add(new Svg.Point(start, 0));
    failed.add(new Svg.Point(start, 0));
    long succeeded = 0;
    long failures = 0;
    double whole = Math.max(1, members);
    for (RolloutRepository.Outcome o : outcomes) {
      long at = o.at().toEpochMilli();
      if (o.succeeded()) {
        ok.add(new Svg.Point(at, 100.0 * ++succeeded / whole));
      } else {
        failed.add(new Svg.Point(at, 100.0 * ++failures / whole));
      }
    }
    return Svg.lines(
        "Cumulative success and failure, in percent of the rollout's devices",
        List.of(
            new Svg.Series("succeeded", "s-ok", ok), new Svg.Series("failed", "s-fail", failed)),
        0,
        "%");
  }

  private byte[] fleetPage(Call call, Principal actor, Who who) {
    Optional<ProductName> product =
        call.query("product").map(p -> dev.sluice.core.Validation.valid(() -> new ProductName(p)));
    String filter = call.query("filter").orElse("");
    DevicePage page = devices.list(actor, product, filter, Optional.empty(), 200);
    long total = devices.count(actor, product, filter);
    Map<String, Long> versions = transactions.read(repos -> repos.devices().versionCounts(product));
    String chart = Svg.bars("Installed versions", versions);
    return pages.render(
        "console/fleet.jte",
        new FleetPage(
            who,
            page.devices(),
            chart,
            products.products(),
            product.map(ProductName::value).orElse(""),
            filter,
            total));
  }

  private byte[] devicePage(Call call, Principal actor, Who who) {
    ControllerId id;
    try {
      id = new ControllerId(call.path("id"));
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("device", call.path("id"));
    }
    Device device = devices.device(actor, id);
    var history = transactions.read(repos -> repos.actions().history(id, 100));
    return pages.render("console/device.jte", new DevicePageModel(who, device, history));
  }

  static String cookie(Call call, String name) {
    var cookie = call.exchange().getRequestCookie(name);
    return cookie == null ? null : cookie.getValue();
  }

  /** Sets a cookie scoped to {@code path}: HttpOnly, SameSite=Strict, Secure over TLS. */
  static void setCookie(Call call, String name, String value, String path, int maxAge) {
    StringBuilder c = new StringBuilder();
    c.append(name).append('=').append(value).append("; Path=").append(path);
    c.append("; HttpOnly; SameSite=Strict");
    if ("https".equals(call.exchange().getRequestScheme())) {
      c.append("; Secure");
    }
    if (maxAge >= 0) {
      c.append("; Max-Age=").append(maxAge);
    }
    call.exchange().getResponseHeaders().add(io.undertow.util.Headers.SET_COOKIE, c.toString());
  }

  private static Map<String, String> form(Call call) throws IOException {
    String body = new String(call.bodyBytes(FORM_LIMIT), StandardCharsets.UTF_8);
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.put(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new SluiceException.InvalidInput("the form is not valid URL encoding");
      }
    }
    return out;
  }

  static boolean allowed(Principal p, Role... roles) {
    return java.util.Arrays.asList(roles).contains(p.role());
  }
}
