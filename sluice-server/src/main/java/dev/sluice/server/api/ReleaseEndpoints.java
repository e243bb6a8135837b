package dev.sluice.server.api;

import dev.sluice.api.release.ReleaseList;
import dev.sluice.api.release.SignOffDecisionRequest;
import dev.sluice.api.release.SignOffList;
import dev.sluice.core.ListLimit;
import dev.sluice.core.Page;
import dev.sluice.core.PageCursor;
import dev.sluice.core.PagedList;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Validation;
import dev.sluice.core.Violations;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.catalog.ProductService;
import dev.sluice.core.certification.CertificationService;
import dev.sluice.core.certification.Decision;
import dev.sluice.core.certification.ReleaseStatement;
import dev.sluice.core.certification.SignOffRequest;
import dev.sluice.core.filter.ListFilter;
import dev.sluice.core.filter.SortOrder;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ArtifactName;
import dev.sluice.core.manifest.ReleaseManifest;
import dev.sluice.core.policy.PolicyService;
import dev.sluice.core.policy.PolicyStatement;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.ArtifactUpload;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseFilters;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.release.ReleaseService;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Router;
import dev.sluice.trust.hash.Sha256;
import java.io.InputStream;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/** Releases: create, upload artifacts, check, statement, sign-offs. */
public final class ReleaseEndpoints {
  private static final int BODY_LIMIT = 64 * 1024;
  static final String SHA256_HEADER = "Sluice-Sha256";
  static final String STATEMENT_SHA256_HEADER = "Sluice-Statement-Sha256";

  private final ReleaseService releases;
  private final CertificationService certification;
  private final ProductService products;
  private final PolicyService policies;

  public ReleaseEndpoints(
      ReleaseService releases,
      CertificationService certification,
      ProductService products,
      PolicyService policies) {
    this.policies = policies;
    this.releases = releases;
    this.certification = certification;
    this.products = products;
  }

  public void register(Router router) {
    router
        .post("/api/v1/releases", Access.role(Role.ADMIN, Role.RELEASE_MANAGER), this::create)
        .query("product", "version");
    router
        .get("/api/v1/releases", Access.token(), this::list)
        .query("product", "state", "filter", "sort", "limit", "after");
    router.get("/api/v1/releases/{id}", Access.token(), this::show);
    router.get("/api/v1/releases/{id}/manifest", Access.token(), this::manifest);
    router.get("/manifests/{sha256}", Access.publicRead(), this::publishedManifest);
    router
        .put(
            "/api/v1/releases/{id}/artifacts/{name}",
            Access.role(Role.ADMIN, Role.RELEASE_MANAGER),
            this::upload)
        .consumes("application/octet-stream")
        .query("replace");
    router
        .get("/api/v1/releases/{id}/artifacts/{name}", Access.token(), this::download)
        .produces("application/octet-stream");
    router.post(
        "/api/v1/releases/{id}/check", Access.role(Role.ADMIN, Role.RELEASE_MANAGER), this::check);
    router
        .get("/api/v1/releases/{id}/report", Access.token(), this::report)
        .produces("application/json", "text/plain");
    router.get("/api/v1/releases/{id}/statement", Access.token(), this::statement);
    router.post("/api/v1/releases/{id}/signoffs", Access.role(Role.CERTIFIER), this::signOff);
    router.get("/api/v1/releases/{id}/signoffs", Access.token(), this::signOffs);
    router.delete(
        "/api/v1/releases/{id}", Access.role(Role.ADMIN, Role.RELEASE_MANAGER), this::delete);
  }

  private void create(Call call) throws Exception {
    Principal actor = call.principal();
    ProductName product =
        Validation.valid(
            () ->
                new ProductName(
                    call.query("product")
                        .orElseThrow(
                            () ->
                                new SluiceException.InvalidInput(
                                    "query parameter product is required"))));
    String version =
        call.query("version")
            .orElseThrow(
                () -> new SluiceException.InvalidInput("query parameter version is required"));
    byte[] manifest = call.bodyBytes(ReleaseManifest.MAX_BYTES);
    Release release = releases.create(actor, product, version, manifest);
    call.header("Location", "/api/v1/releases/" + release.id());
    respondRelease(call, 201, release);
  }

  private void list(Call call) throws Exception {
    Optional<ProductName> product =
        call.query("product").map(p -> Validation.valid(() -> new ProductName(p)));
    Optional<ReleaseState> state =
        call.query("state")
            .map(
                s ->
                    Validation.valid(
                        () -> {
                          try {
                            return ReleaseState.valueOf(s.toUpperCase(Locale.ROOT));
                          } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("unknown state '" + s + "'");
                          }
                        }));
    int limit = call.queryInt("limit", ListLimit.DEFAULT);
    Optional<PageCursor> after =
        call.query("after").map(a -> PageCursor.decode(PagedList.RELEASES, a));
    ListFilter filter = ReleaseFilters.parse(call.query("filter").orElse(""));
    SortOrder order =
        SortOrder.parse(call.query("sort"), ReleaseFilters.SORT_FIELD, SortOrder.DESCENDING);
    Page<Release> page = releases.page(product, state, filter, order, after, limit);
    call.json(
        200,
        new ReleaseList(
            page.items().stream().map(Views::releaseSummary).toList(),
            page.next().map(c -> c.encode(PagedList.RELEASES)).orElse(null)));
  }

  private void show(Call call) throws Exception {
    respondRelease(call, 200, releases.release(id(call)));
  }

  /** Deletes a DRAFT release; its blobs go at the next {@code sluice gc}. */
  private void delete(Call call) throws Exception {
    Principal actor = call.principal();
    ReleaseId id = id(call);
    releases.deleteDraft(actor, id);
    call.bytes(204, "application/json", new byte[0]);
  }

  private void manifest(Call call) throws Exception {
    Release release = releases.release(id(call));
    call.header(SHA256_HEADER, release.manifestSha256().hex());
    call.bytes(200, "application/json", release.manifest().rawBytes());
  }

  /** Public: the manifest a published release's log record names by digest. */
  private void publishedManifest(Call call) throws Exception {
    String raw = call.path("sha256");
    Sha256 digest;
    try {
      digest = Sha256.parse(raw.endsWith(".json") ? raw.substring(0, raw.length() - 5) : raw);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("manifest", raw);
    }
    byte[] manifest =
        releases
            .publishedManifest(digest)
            .orElseThrow(() -> new SluiceException.NotFound("published manifest", digest.hex()));
    call.header(SHA256_HEADER, digest.hex());
    call.bytes(200, "application/json", manifest, "public, max-age=31536000, immutable");
  }

  private void upload(Call call) throws Exception {
    Principal actor = call.principal();
    ReleaseId id = id(call);
    ArtifactName name = Validation.valid(() -> new ArtifactName(call.path("name")));
    Optional<Sha256> expected =
        call.header(SHA256_HEADER).map(h -> Validation.valid(() -> Sha256.parse(h)));
    boolean replace =
        call.query("replace")
            .map(
                r ->
                    switch (r) {
                      case "true" -> true;
                      case "false" -> false;
                      default ->
                          throw new SluiceException.InvalidInput(
                              "query parameter replace must be true or false");
                    })
            .orElse(false);
    // A declared length over the product's limit is refused before any byte is read; the limit is
    // also enforced while streaming. This lifts the server-wide body cap.
    call.exchange().setMaxEntitySize(dev.sluice.core.product.Product.MAX_ARTIFACT_SIZE_CEILING);
    ArtifactUpload mode =
        new ArtifactUpload(
            call.contentLength().map(OptionalLong::of).orElse(OptionalLong.empty()), replace);
    // Refused before the body is opened: closing an unread body would wait for all of it.
    releases.admitUpload(actor, id, name, expected, mode);
    try (InputStream body = call.body()) {
      Artifact artifact = releases.uploadArtifact(actor, id, name, body, expected, mode);
      call.header("Location", "/api/v1/releases/" + id + "/artifacts/" + name);
      call.json(201, Views.artifact(artifact));
    }
  }

  private void download(Call call) throws Exception {
    ReleaseId id = id(call);
    ArtifactName name = Validation.valid(() -> new ArtifactName(call.path("name")));
    Release release = releases.release(id);
    Artifact artifact =
        release
            .artifact(name)
            .orElseThrow(() -> new SluiceException.NotFound("artifact", id + "/" + name));
    call.header(SHA256_HEADER, artifact.sha256().hex());
    call.stream(200, "application/octet-stream", artifact.size(), releases.openArtifact(id, name));
  }

  private void check(Call call) throws Exception {
    Principal actor = call.principal();
    respondRelease(call, 200, releases.check(actor, id(call)));
  }

  private void report(Call call) throws Exception {
    Release release = releases.release(id(call));
    var check =
        release
            .check()
            .orElseThrow(
                () ->
                    new SluiceException.NotFound(
                        "check report", release.id() + " (the release has not been checked)"));
    boolean text = call.header("Accept").map(a -> a.contains("text/plain")).orElse(false);
    call.header("Sluice-Report-Sha256", check.reportSha256().hex());
    if (text) {
      call.text(200, check.report().toText());
    } else {
      call.json(200, check.report().toJson());
    }
  }

  private void statement(Call call) throws Exception {
    ReleaseStatement statement = certification.statement(id(call));
    call.header(STATEMENT_SHA256_HEADER, statement.sha256().hex());
    call.bytes(200, "application/json", statement.canonicalBytes());
  }

  private void signOff(Call call) throws Exception {
    Principal actor = call.principal();
    ReleaseId id = id(call);
    Violations violations = new Violations();
    SignOffDecisionRequest body = call.body(SignOffDecisionRequest.class, BODY_LIMIT, violations);
    Decision decision = violations.check("decision", () -> Decision.fromWire(body.decision()));
    byte[] signature = violations.check("signature", () -> decodeSignature(body.signature()));
    Sha256 statement =
        violations.check("statement_sha256", () -> Sha256.parse(body.statementSha256()));
    Optional<String> reason =
        violations.check(
            "reason",
            () ->
                dev.sluice.core.Text.optionalLine(
                    "reason", Optional.ofNullable(body.reason()), dev.sluice.core.Text.MAX_REASON));
    violations.throwIfAny();
    SignOffRequest request =
        Validation.valid(
            () -> new SignOffRequest(decision, body.keyId(), signature, statement, reason));
    Release release = certification.decide(actor, id, request);
    respondRelease(call, 201, release);
  }

  private void signOffs(Call call) throws Exception {
    call.json(
        200,
        new SignOffList(certification.signOffs(id(call)).stream().map(Views::signOff).toList()));
  }

  private void respondRelease(Call call, int status, Release release) throws Exception {
    PolicyStatement policy = policies.statementInForce(release.product());
    call.json(status, Views.release(release, policy, certification.signOffs(release.id())));
  }

  private static ReleaseId id(Call call) {
    String raw = call.path("id");
    try {
      return new ReleaseId(raw);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("release", raw);
    }
  }

  private static byte[] decodeSignature(String base64) {
    try {
      byte[] bytes = Base64.getDecoder().decode(base64);
      if (bytes.length == 0 || bytes.length > 1024) {
        throw new IllegalArgumentException("a signature is 1 to 1024 bytes");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("signature must be standard base64: " + e.getMessage());
    }
  }
}
