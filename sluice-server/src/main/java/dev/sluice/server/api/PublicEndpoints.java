package dev.sluice.server.api;

import dev.sluice.api.WireJson;
import dev.sluice.api.catalog.PolicyView;
import dev.sluice.api.verifier.LogInfo;
import dev.sluice.api.verifier.PublicCertifier;
import dev.sluice.api.verifier.PublicProduct;
import dev.sluice.api.verifier.PublicRelease;
import dev.sluice.core.KeyCursor;
import dev.sluice.core.ListLimit;
import dev.sluice.core.Page;
import dev.sluice.core.PageCursor;
import dev.sluice.core.PagedList;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Validation;
import dev.sluice.core.catalog.ProductService;
import dev.sluice.core.certification.CertificationService;
import dev.sluice.core.certification.CertificationTally;
import dev.sluice.core.certification.ReleaseStatement;
import dev.sluice.core.certification.SignOff;
import dev.sluice.core.filter.ListFilter;
import dev.sluice.core.filter.SortOrder;
import dev.sluice.core.policy.PolicyService;
import dev.sluice.core.policy.PolicyService.LoggedPolicy;
import dev.sluice.core.policy.PolicyStatement;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.CertifierKeyHistory;
import dev.sluice.core.product.Product;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseFilters;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.release.ReleaseService;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.core.standards.StandardsJson;
import dev.sluice.core.tlog.TransparencyLog;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Router;
import dev.sluice.trust.hash.Sha256;
import io.undertow.util.Headers;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Everything a verifier needs, public and read-only (no token), under {@code /api/v1/public/}:
 * products with their current certification policy, every product's policy records (the exact log
 * entries with their log index and leaf hash), certifiers and the history of their keys, releases
 * past DRAFT with their statement, check report and sign-offs, standards sets, and the log's
 * verifier key. Responses carry a strong ETag (SHA-256 of the body), answer {@code If-None-Match}
 * with 304 and may be cached briefly; a sequenced policy record's bytes never change.
 *
 * <p>Nothing here names a device, a token or an account: releases show no creator, and sign-offs
 * name certifiers (public authorities) only.
 */
public final class PublicEndpoints {
  static final String CACHE = "public, max-age=30";
  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  private static final ListFilter PAST_DRAFT = ReleaseFilters.parse("state!=draft");

  private final ProductService products;
  private final PolicyService policies;
  private final ReleaseService releases;
  private final CertificationService certification;
  private final TransparencyLog log;

  public PublicEndpoints(
      ProductService products,
      PolicyService policies,
      ReleaseService releases,
      CertificationService certification,
      TransparencyLog log) {
    this.products = products;
    this.policies = policies;
    this.releases = releases;
    this.certification = certification;
    this.log = log;
  }

  public void register(Router router) {
    router.get("/api/v1/public/log", Access.publicRead(), this::logInfo);
    router
        .get("/api/v1/public/products", Access.publicRead(), this::listProducts)
        .query("after", "limit");
    router.get("/api/v1/public/products/{name}", Access.publicRead(), this::showProduct);
    router.get("/api/v1/public/products/{name}/policies", Access.publicRead(), this::listPolicies);
    router.get(
        "/api/v1/public/products/{name}/policies/{sequence}", Access.publicRead(), this::rawPolicy);
    router
        .get("/api/v1/public/certifiers", Access.publicRead(), this::listCertifiers)
        .query("after", "limit");
    router.get("/api/v1/public/certifiers/{id}", Access.publicRead(), this::showCertifier);
    router
        .get("/api/v1/public/releases", Access.publicRead(), this::listReleases)
        .query("product", "state", "after", "limit");
    router.get("/api/v1/public/releases/{id}", Access.publicRead(), this::showRelease);
    router.get("/api/v1/public/standards/{id}/{version}", Access.publicRead(), this::standards);
  }

  private void logInfo(Call call) throws IOException {
    cached(
        call,
        new LogInfo(log.origin(), log.verifier().vkey(), "/log/checkpoint", "/log/tile/"),
        CACHE);
  }

  private void listProducts(Call call) throws IOException {
    Page<Product> page =
        products.products(
            call.query("after")
                .map(a -> KeyCursor.decode(PagedList.PRODUCTS, a).as(ProductName::new)),
            call.queryInt("limit", ListLimit.DEFAULT));
    cached(
        call,
        new PublicProduct.Listing(
            page.items().stream().map(this::product).toList(),
            page.next().map(c -> c.encode(PagedList.PRODUCTS)).orElse(null)),
        CACHE);
  }

  private void showProduct(Call call) throws IOException {
    cached(call, product(products.product(productName(call))), CACHE);
  }

  private PublicProduct product(Product p) {
    LoggedPolicy current = policies.loggedCurrent(p.name());
    return new PublicProduct(
        p.name().value(),
        p.description(),
        p.securityUpdatesDeferrable(),
        new PublicProduct.StandardsRef(p.standards().id(), p.standards().version()),
        Views.policy(current.policy(), current.provableIndex()));
  }

  private void listPolicies(Call call) throws IOException {
    ProductName name = productName(call);
    List<PolicyView> history =
        policies.loggedHistory(name).stream()
            .map(p -> Views.policy(p.policy(), p.provableIndex()))
            .toList();
    cached(call, new PublicProduct.PolicyHistory(name.value(), history), CACHE);
  }

  /** The exact log entry bytes of one policy record. */
  private void rawPolicy(Call call) throws IOException {
    ProductName name = productName(call);
    String raw = call.path("sequence");
    long sequence;
    try {
      sequence = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new SluiceException.NotFound("policy of product '" + name + "'", raw);
    }
    LoggedPolicy policy =
        policies.loggedHistory(name).stream()
            .filter(p -> p.policy().sequence() == sequence)
            .findFirst()
            .orElseThrow(
                () -> new SluiceException.NotFound("policy of product '" + name + "'", raw));
    policy.provableIndex().ifPresent(i -> call.header("Sluice-Log-Index", Long.toString(i)));
    call.header("Sluice-Leaf-Hash", policy.policy().leafHash().hex());
    cached(
        call,
        policy.policy().record().canonicalBytes(),
        policy.provableIndex().isPresent() ? IMMUTABLE : CACHE);
  }

  private void listCertifiers(Call call) throws IOException {
    Page<Certifier> page =
        products.certifiers(
            call.query("after")
                .map(a -> KeyCursor.decode(PagedList.CERTIFIERS, a).as(CertifierId::new)),
            call.queryInt("limit", ListLimit.DEFAULT));
    cached(
        call,
        new PublicCertifier.Listing(
            page.items().stream().map(this::certifier).toList(),
            page.next().map(c -> c.encode(PagedList.CERTIFIERS)).orElse(null)),
        CACHE);
  }

  private void showCertifier(Call call) throws IOException {
    String raw = call.path("id");
    CertifierId id;
    try {
      id = new CertifierId(raw);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("certifier", raw);
    }
    cached(call, certifier(products.certifier(id)), CACHE);
  }

  private PublicCertifier certifier(Certifier c) {
    return new PublicCertifier(
        c.id().value(),
        c.displayName(),
        c.keyVersion(),
        policies.keyHistory(c.id()).stream().map(this::key).toList());
  }

  private PublicCertifier.Key key(CertifierKeyHistory k) {
    List<PublicCertifier.PolicyRecordRef> changes =
        policies.loggedKeyChanges(k.key().keyId()).stream()
            .map(
                p ->
                    new PublicCertifier.PolicyRecordRef(
                        p.policy().statement().product().value(),
                        p.policy().sequence(),
                        p.policy().statement().change().kind().wireName(),
                        p.provableIndex().orElse(null),
                        p.policy().leafHash().hex()))
            .toList();
    return new PublicCertifier.Key(
        k.key().keyId(),
        k.key().toTufJson(),
        Views.time(k.addedAt()),
        k.addedVersion(),
        k.revokedAt().map(Views::time).orElse(null),
        k.revokedVersion().orElse(null),
        changes);
  }

  private void listReleases(Call call) throws IOException {
    Optional<ProductName> product =
        call.query("product").map(p -> Validation.valid(() -> new ProductName(p)));
    Optional<ReleaseState> state = call.query("state").map(PublicEndpoints::state);
    if (state.isPresent() && state.get() == ReleaseState.DRAFT) {
      throw new SluiceException.InvalidInput("draft releases are not public");
    }
    // Without a state, every state but DRAFT: the filter keeps drafts out of the pages themselves.
    ListFilter pastDraft = state.isPresent() ? new ListFilter.All() : PAST_DRAFT;
    Page<Release> page =
        releases.page(
            product,
            state,
            pastDraft,
            SortOrder.DESCENDING,
            call.query("after").map(a -> PageCursor.decode(PagedList.RELEASES, a)),
            call.queryInt("limit", ListLimit.DEFAULT));
    cached(
        call,
        new PublicRelease.Listing(
            page.items().stream().map(PublicEndpoints::releaseSummary).toList(),
            page.next().map(c -> c.encode(PagedList.RELEASES)).orElse(null)),
        CACHE);
  }

  private void showRelease(Call call) throws IOException {
    String raw = call.path("id");
    Release release;
    try {
      release = releases.release(new ReleaseId(raw));
    } catch (IllegalArgumentException | SluiceException.NotFound e) {
      throw new SluiceException.NotFound("release", raw);
    }
    if (release.state() == ReleaseState.DRAFT || release.check().isEmpty()) {
      throw new SluiceException.NotFound("release", raw);
    }
    ReleaseStatement statement = CertificationService.statementOf(release);
    var check = release.check().orElseThrow();
    List<SignOff> signOffs = certification.signOffs(release.id());
    PolicyStatement policy = policies.statementInForce(release.product());
    CertificationTally tally = CertificationTally.of(policy, statement, signOffs);
    PublicRelease.Certification tallied =
        new PublicRelease.Certification(
            policy.sequence(),
            tally.threshold(),
            tally.approvedBy().stream().map(CertifierId::value).sorted().toList(),
            tally.rejectedBy().stream().map(CertifierId::value).sorted().toList(),
            tally.thresholdReached());
    PublicRelease answer =
        new PublicRelease(
            releaseSummary(release),
            statement.toJson(),
            statement.sha256().hex(),
            check.report().toJson(),
            check.reportSha256().hex(),
            Views.time(check.checkedAt()),
            signOffs.stream().map(Views::signOff).toList(),
            tallied);
    cached(call, answer, CACHE);
  }

  /** A release without anything about who created it (an account name). */
  private static PublicRelease.Summary releaseSummary(Release r) {
    return new PublicRelease.Summary(
        r.id().value(),
        r.product().value(),
        r.version().toString(),
        r.state().wireName(),
        r.manifestSha256().hex(),
        "/manifests/" + r.manifestSha256().hex(),
        r.artifacts().stream().map(Views::artifact).toList(),
        Views.time(r.updatedAt()));
  }

  private void standards(Call call) throws IOException {
    String id = call.path("id");
    String rawVersion = call.path("version");
    ProductName product;
    int version;
    try {
      product = new ProductName(id);
      version = Integer.parseInt(rawVersion);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("standards set", id + " v" + rawVersion);
    }
    cached(call, StandardsJson.toJson(products.standards(product, version)), IMMUTABLE);
  }

  private static ReleaseState state(String s) {
    return Validation.valid(
        () -> {
          try {
            return ReleaseState.valueOf(s.toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown state '" + s + "'");
          }
        });
  }

  private static ProductName productName(Call call) {
    String raw = call.path("name");
    try {
      return new ProductName(raw);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("product", raw);
    }
  }

  /** A record of {@code sluice-api} (or a document's tree) as a cached answer. */
  private static void cached(Call call, Object answer, String cache) throws IOException {
    cached(call, WireJson.MAPPER.writeValueAsBytes(answer), cache);
  }

  /** Sends the body with a strong ETag; a matching If-None-Match gets 304 without a body. */
  static void cached(Call call, byte[] body, String cacheControl) throws IOException {
    String etag = "\"" + Sha256.of(body).hex() + "\"";
    call.header("ETag", etag);
    boolean notModified =
        call.header("If-None-Match")
            .map(
                v ->
                    v.strip().equals("*")
                        || List.of(v.split(",")).stream()
                            .map(String::strip)
                            .map(t -> t.startsWith("W/") ? t.substring(2) : t)
                            .anyMatch(etag::equals))
            .orElse(false);
    if (notModified) {
      var exchange = call.exchange();
      exchange.setStatusCode(304);
      exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, cacheControl);
      exchange.endExchange();
      return;
    }
    call.bytes(200, "application/json", body, cacheControl);
  }
}
