package dev.sluice.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Validation;
import dev.sluice.core.catalog.ProductService;
import dev.sluice.core.certification.CertificationService;
import dev.sluice.core.certification.CertificationTally;
import dev.sluice.core.certification.ReleaseStatement;
import dev.sluice.core.certification.SignOff;
import dev.sluice.core.policy.PolicyService;
import dev.sluice.core.policy.PolicyService.LoggedPolicy;
import dev.sluice.core.policy.PolicyStatement;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.CertifierKeyHistory;
import dev.sluice.core.product.Product;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.Release;
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
  private static final int RELEASE_LIMIT = 500;

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
    router.get("/api/v1/public/products", Access.publicRead(), this::listProducts);
    router.get("/api/v1/public/products/{name}", Access.publicRead(), this::showProduct);
    router.get("/api/v1/public/products/{name}/policies", Access.publicRead(), this::listPolicies);
    router.get(
        "/api/v1/public/products/{name}/policies/{sequence}", Access.publicRead(), this::rawPolicy);
    router.get("/api/v1/public/certifiers", Access.publicRead(), this::listCertifiers);
    router.get("/api/v1/public/certifiers/{id}", Access.publicRead(), this::showCertifier);
    router
        .get("/api/v1/public/releases", Access.publicRead(), this::listReleases)
        .query("product", "state");
    router.get("/api/v1/public/releases/{id}", Access.publicRead(), this::showRelease);
    router.get("/api/v1/public/standards/{id}/{version}", Access.publicRead(), this::standards);
  }

  private void logInfo(Call call) throws IOException {
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    node.put("origin", log.origin());
    node.put("verifier_key", log.verifier().vkey());
    node.put("checkpoint", "/log/checkpoint");
    node.put("tiles", "/log/tile/");
    cached(call, node, CACHE);
  }

  private void listProducts(Call call) throws IOException {
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    ArrayNode list = node.putArray("products");
    for (Product p : products.products()) {
      list.add(product(p));
    }
    cached(call, node, CACHE);
  }

  private void showProduct(Call call) throws IOException {
    cached(call, product(products.product(productName(call))), CACHE);
  }

  private ObjectNode product(Product p) {
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    node.put("name", p.name().value());
    node.put("description", p.description());
    node.put("security_updates_deferrable", p.securityUpdatesDeferrable());
    node.putObject("standards")
        .put("id", p.standards().id())
        .put("version", p.standards().version());
    LoggedPolicy current = policies.loggedCurrent(p.name());
    node.set("policy", Views.tree(Views.policy(current.policy(), current.provableIndex())));
    return node;
  }

  private void listPolicies(Call call) throws IOException {
    ProductName name = productName(call);
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    node.put("product", name.value());
    ArrayNode list = node.putArray("policies");
    for (LoggedPolicy p : policies.loggedHistory(name)) {
      list.add(Views.tree(Views.policy(p.policy(), p.provableIndex())));
    }
    cached(call, node, CACHE);
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
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    ArrayNode list = node.putArray("certifiers");
    for (Certifier c : products.certifiers()) {
      list.add(certifier(c));
    }
    cached(call, node, CACHE);
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

  private ObjectNode certifier(Certifier c) {
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    node.put("id", c.id().value());
    node.put("display_name", c.displayName());
    node.put("version", c.keyVersion());
    ArrayNode keys = node.putArray("keys");
    for (CertifierKeyHistory k : policies.keyHistory(c.id())) {
      ObjectNode key = keys.addObject();
      key.put("key_id", k.key().keyId());
      key.set("key", k.key().toTufJson());
      key.put("added_at", Views.time(k.addedAt()));
      key.put("added_version", k.addedVersion());
      if (k.revoked()) {
        key.put("revoked_at", Views.time(k.revokedAt().orElseThrow()));
        key.put("revoked_version", k.revokedVersion().orElseThrow());
      } else {
        key.putNull("revoked_at");
        key.putNull("revoked_version");
      }
      ArrayNode changes = key.putArray("policy_records");
      for (LoggedPolicy p : policies.loggedKeyChanges(k.key().keyId())) {
        ObjectNode ref = changes.addObject();
        ref.put("product", p.policy().statement().product().value());
        ref.put("sequence", p.policy().sequence());
        ref.put("change", p.policy().statement().change().kind().wireName());
        if (p.provableIndex().isPresent()) {
          ref.put("log_index", p.provableIndex().get());
        } else {
          ref.putNull("log_index");
        }
        ref.put("leaf_hash", p.policy().leafHash().hex());
      }
    }
    return node;
  }

  private void listReleases(Call call) throws IOException {
    Optional<ProductName> product =
        call.query("product").map(p -> Validation.valid(() -> new ProductName(p)));
    Optional<ReleaseState> state = call.query("state").map(PublicEndpoints::state);
    if (state.isPresent() && state.get() == ReleaseState.DRAFT) {
      throw new SluiceException.InvalidInput("draft releases are not public");
    }
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    ArrayNode list = node.putArray("releases");
    releases.list(product, state, RELEASE_LIMIT).stream()
        .filter(r -> r.state() != ReleaseState.DRAFT)
        .forEach(r -> list.add(releaseSummary(r)));
    cached(call, node, CACHE);
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
    ObjectNode node = releaseSummary(release);
    ReleaseStatement statement = CertificationService.statementOf(release);
    node.set("statement", statement.toJson());
    node.put("statement_sha256", statement.sha256().hex());
    var check = release.check().orElseThrow();
    node.set("report", check.report().toJson());
    node.put("report_sha256", check.reportSha256().hex());
    node.put("checked_at", Views.time(check.checkedAt()));
    List<SignOff> signOffs = certification.signOffs(release.id());
    ArrayNode list = node.putArray("signoffs");
    signOffs.forEach(s -> list.add(Views.tree(Views.signOff(s))));
    PolicyStatement policy = policies.statementInForce(release.product());
    CertificationTally tally = CertificationTally.of(policy, statement, signOffs);
    ObjectNode certificationNode = node.putObject("certification");
    certificationNode.put("policy_sequence", policy.sequence());
    certificationNode.put("threshold", tally.threshold());
    ArrayNode approved = certificationNode.putArray("approved_by");
    tally.approvedBy().stream().map(CertifierId::value).sorted().forEach(approved::add);
    ArrayNode rejected = certificationNode.putArray("rejected_by");
    tally.rejectedBy().stream().map(CertifierId::value).sorted().forEach(rejected::add);
    certificationNode.put("threshold_reached", tally.thresholdReached());
    cached(call, node, CACHE);
  }

  /** A release without anything about who created it (an account name). */
  private static ObjectNode releaseSummary(Release r) {
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    node.put("id", r.id().value());
    node.put("product", r.product().value());
    node.put("version", r.version().toString());
    node.put("state", r.state().wireName());
    node.put("manifest_sha256", r.manifestSha256().hex());
    node.put("manifest", "/manifests/" + r.manifestSha256().hex());
    ArrayNode artifacts = node.putArray("artifacts");
    r.artifacts().forEach(a -> artifacts.add(Views.tree(Views.artifact(a))));
    node.put("updated_at", Views.time(r.updatedAt()));
    return node;
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

  private static void cached(Call call, com.fasterxml.jackson.databind.JsonNode node, String cache)
      throws IOException {
    cached(call, WireJson.MAPPER.writeValueAsBytes(node), cache);
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
