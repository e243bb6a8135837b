package dev.sluice.server.web;

import dev.sluice.core.SluiceException;
import dev.sluice.core.catalog.ProductService;
import dev.sluice.core.certification.SignOff;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.Product;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.core.tlog.LogStorage;
import dev.sluice.core.tlog.SignedCheckpoint;
import dev.sluice.core.tlog.TransparencyLog;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Router;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public transparency portal: releases per product (published, revoked, pending with their
 * reasons), one release's page, the log, the certifiers and an Atom feed per product. Read-only and
 * without a login. It shows releases, certifiers and the log only: nothing about devices or their
 * owners is ever read here.
 */
public final class Portal {
  private static final int RELEASES_PER_PRODUCT = 100;

  private final ProductService products;
  private final ReleaseFacts facts;
  private final PolicySource policies;
  private final TransparencyLog log;
  private final Transactions transactions;
  private final Pages pages;

  Portal(
      ProductService products,
      ReleaseFacts facts,
      PolicySource policies,
      TransparencyLog log,
      Transactions transactions,
      Pages pages) {
    this.products = products;
    this.facts = facts;
    this.policies = policies;
    this.log = log;
    this.transactions = transactions;
    this.pages = pages;
  }

  /** One product's releases for the front page. */
  public record ProductReleases(Product product, List<ReleaseFacts.Row> releases) {}

  public record Index(String base, List<ProductReleases> products) {}

  /** Everything on a release's page. */
  public record ReleasePage(
      String base,
      ReleaseFacts.Row row,
      CapabilityDiff diff,
      List<SignOff> signOffs,
      PolicySource.Policy policy,
      String logKey,
      long treeSize) {

    /** The command that verifies the release end to end with the Sluice CLI. */
    public String verifyCommand() {
      return "sluice verify --server "
          + base
          + " --root root.json --log-key '"
          + logKey
          + "' "
          + row.id();
    }

    public String manifestUrl() {
      return base + "/manifests/" + row.release().manifestSha256().hex() + ".json";
    }

    public Optional<String> inclusionUrl() {
      return row.published()
          .flatMap(ReleaseFacts.Logged::index)
          .map(i -> base + "/log/v1/inclusion?index=" + i + "&tree_size=" + treeSize);
    }
  }

  public record LogPage(String base, SignedCheckpoint checkpoint, String logKey, String chart) {}

  /** A certifier, the products it certifies and what it signed. */
  public record CertifierEntry(Certifier certifier, List<String> products, List<Signed> signed) {}

  public record Signed(SignOff signOff, String product, String version) {}

  public record Certifiers(List<CertifierEntry> certifiers) {}

  void register(Router router) {
    WebRoutes.page(router.get("/", Access.publicRead(), pages.html(this::index)));
    WebRoutes.page(router.get("/releases/{id}", Access.publicRead(), pages.html(this::release)));
    WebRoutes.page(router.get("/log", Access.publicRead(), pages.html(this::logPage)));
    WebRoutes.page(router.get("/certifiers", Access.publicRead(), pages.html(this::certifiers)));
    WebRoutes.page(router.get("/feeds/{file}", Access.publicRead(), pages.html(this::feed)));
  }

  static String base(Call call) {
    return call.exchange().getRequestScheme() + "://" + call.exchange().getHostAndPort();
  }

  private void index(Call call) throws IOException {
    List<ProductReleases> list = new ArrayList<>();
    for (Product p : products.products()) {
      list.add(new ProductReleases(p, facts.rows(p.name(), RELEASES_PER_PRODUCT)));
    }
    send(call, "portal/index.jte", new Index(base(call), list));
  }

  private void release(Call call) throws IOException {
    ReleaseId id = releaseId(call.path("id"));
    ReleaseFacts.Row row = facts.row(id);
    SignedCheckpoint checkpoint = log.latestCheckpoint();
    ReleasePage page =
        new ReleasePage(
            base(call),
            row,
            facts.diff(row.release()),
            facts.signOffs(id),
            policies.policyOf(row.release()),
            log.verifier().vkey(),
            checkpoint.size());
    send(call, "portal/release.jte", page);
  }

  private void logPage(Call call) throws IOException {
    List<LogStorage.SizeAt> history =
        new ArrayList<>(transactions.read(repos -> repos.log().sizeHistory(500)));
    java.util.Collections.reverse(history);
    List<Svg.Point> points =
        history.stream().map(s -> new Svg.Point(s.at().toEpochMilli(), s.size())).toList();
    String chart =
        Svg.lines(
            "Log size over time", List.of(new Svg.Series("entries", "s-size", points)), 1, "");
    send(
        call,
        "portal/log.jte",
        new LogPage(base(call), log.latestCheckpoint(), log.verifier().vkey(), chart));
  }

  private void certifiers(Call call) throws IOException {
    Map<String, List<String>> productsOf = new LinkedHashMap<>();
    List<Product> all = products.products();
    for (Product p : all) {
      p.certifiers()
          .forEach(
              c ->
                  productsOf
                      .computeIfAbsent(c.value(), k -> new ArrayList<>())
                      .add(p.name().value()));
    }
    Map<String, List<Signed>> signedBy = new LinkedHashMap<>();
    for (Product p : all) {
      for (ReleaseFacts.Row row : facts.rows(p.name(), RELEASES_PER_PRODUCT)) {
        for (SignOff s : facts.signOffs(row.release().id())) {
          signedBy
              .computeIfAbsent(s.certifier().value(), k -> new ArrayList<>())
              .add(new Signed(s, p.name().value(), row.release().version().value()));
        }
      }
    }
    List<CertifierEntry> entries = new ArrayList<>();
    for (Certifier c : products.certifiers()) {
      entries.add(
          new CertifierEntry(
              c,
              productsOf.getOrDefault(c.id().value(), List.of()),
              signedBy.getOrDefault(c.id().value(), List.of())));
    }
    send(call, "portal/certifiers.jte", new Certifiers(entries));
  }

  private void feed(Call call) throws IOException {
    String file = call.path("file");
    if (!file.endsWith(".atom")) {
      throw new SluiceException.NotFound("feed", file);
    }
    ProductName name;
    try {
      name = new ProductName(file.substring(0, file.length() - ".atom".length()));
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("feed", file);
    }
    Product product = products.product(name);
    List<ReleaseFacts.Row> rows =
        facts.rows(name, RELEASES_PER_PRODUCT).stream()
            .filter(
                r ->
                    r.release().state() == ReleaseState.PUBLISHED
                        || r.release().state() == ReleaseState.REVOKED)
            .toList();
    byte[] xml = AtomFeed.of(base(call), product, rows);
    pages.sendPublic(call, 200, "application/atom+xml; charset=utf-8", xml);
  }

  private void send(Call call, String template, Object model) throws IOException {
    pages.sendPublic(call, 200, Pages.HTML, pages.render(template, model));
  }

  static ReleaseId releaseId(String raw) {
    try {
      return new ReleaseId(raw);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("release", raw);
    }
  }
}
