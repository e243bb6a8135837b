package dev.sluice.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.api.auth.IssueTokenRequest;
import dev.sluice.api.catalog.AddCertifierKeyRequest;
import dev.sluice.api.catalog.CertifierList;
import dev.sluice.api.catalog.CreateProductRequest;
import dev.sluice.api.catalog.Endorsement;
import dev.sluice.api.catalog.ProductList;
import dev.sluice.api.catalog.ProposePolicyRequest;
import dev.sluice.api.catalog.RegisterCertifierRequest;
import dev.sluice.api.catalog.RevokeCertifierKeyRequest;
import dev.sluice.api.catalog.SignPolicyRequest;
import dev.sluice.api.catalog.UpdateCertifierRequest;
import dev.sluice.api.catalog.UpdateProductRequest;
import dev.sluice.core.KeyCursor;
import dev.sluice.core.ListLimit;
import dev.sluice.core.Page;
import dev.sluice.core.PagedList;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Validation;
import dev.sluice.core.Violations;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.catalog.ProductService;
import dev.sluice.core.policy.PendingPolicy;
import dev.sluice.core.policy.PolicyService;
import dev.sluice.core.policy.PolicyStatement;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.NewProduct;
import dev.sluice.core.product.Product;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.product.ProductUpdate;
import dev.sluice.core.standards.Standard;
import dev.sluice.core.standards.StandardsJson;
import dev.sluice.core.token.TokenService;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.RequestBodies;
import dev.sluice.server.http.Router;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.VerificationKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** Products, certifiers and API tokens; endorsed key changes and policy proposals. */
public final class CatalogEndpoints {
  private static final int BODY_LIMIT = 256 * 1024;
  private final ProductService products;
  private final TokenService tokens;
  private final PolicyService policies;

  public CatalogEndpoints(ProductService products, TokenService tokens, PolicyService policies) {
    this.products = products;
    this.tokens = tokens;
    this.policies = policies;
  }

  public void register(Router router) {
    router.get("/api/v1/whoami", Access.token(), this::whoami);
    router.post("/api/v1/tokens", Access.role(Role.ADMIN), this::issueToken);
    router.post("/api/v1/certifiers", Access.role(Role.ADMIN), this::registerCertifier);
    router.get("/api/v1/certifiers", Access.token(), this::listCertifiers).query("after", "limit");
    router.get("/api/v1/certifiers/{id}", Access.token(), this::showCertifier);
    router.post(
        "/api/v1/certifiers/{id}/keys",
        Access.role(Role.ADMIN, Role.CERTIFIER),
        this::addCertifierKey);
    router.post("/api/v1/products", Access.role(Role.ADMIN), this::createProduct);
    router.get("/api/v1/products", Access.token(), this::listProducts).query("after", "limit");
    router.get("/api/v1/products/{name}", Access.token(), this::showProduct);
    router.patch("/api/v1/products/{name}/settings", Access.role(Role.ADMIN), this::updateProduct);
    router.post(
        "/api/v1/certifiers/{id}/keys/{keyId}/revoke",
        Access.role(Role.ADMIN, Role.CERTIFIER),
        this::revokeCertifierKey);
    router.post(
        "/api/v1/products/{name}/policy/pending", Access.role(Role.ADMIN), this::proposePolicy);
    router.get("/api/v1/products/{name}/policy/pending", Access.token(), this::showPendingPolicy);
    router.delete(
        "/api/v1/products/{name}/policy/pending", Access.role(Role.ADMIN), this::withdrawPolicy);
    router.get(
        "/api/v1/products/{name}/policy/pending/statement", Access.token(), this::pendingStatement);
    router.post(
        "/api/v1/products/{name}/policy/pending/signatures",
        Access.role(Role.ADMIN, Role.CERTIFIER),
        this::signPolicy);
    router.patch("/api/v1/certifiers/{id}", Access.role(Role.ADMIN), this::updateCertifier);
  }

  private void whoami(Call call) throws Exception {
    Principal p = call.principal();
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    node.put("name", p.name());
    node.put("role", p.role().wireName());
    p.certifier().ifPresent(c -> node.put("certifier", c.value()));
    call.json(200, node);
  }

  private void issueToken(Call call) throws Exception {
    Principal actor = call.principal();
    Violations violations = new Violations();
    IssueTokenRequest body = call.body(IssueTokenRequest.class, BODY_LIMIT, violations);
    Role role = violations.check("role", () -> Role.fromWire(body.role()));
    Optional<CertifierId> certifier =
        violations.check("certifier", () -> optional(body.certifier()).map(CertifierId::new));
    Optional<ProductName> product =
        violations.check("product", () -> optional(body.product()).map(ProductName::new));
    Optional<java.time.Instant> expiresAt =
        violations.check(
            "expires_at", () -> optional(body.expiresAt()).map(CredentialEndpoints::instant));
    violations.throwIfAny();
    TokenService.IssuedToken issued =
        tokens.issue(actor, role, certifier, product, body.label(), expiresAt);
    call.header("Location", "/api/v1/tokens/" + issued.token().id());
    call.json(201, Views.token(issued.token()).withSecret(issued.secret()));
  }

  private void registerCertifier(Call call) throws Exception {
    Principal actor = call.principal();
    Violations violations = new Violations();
    RegisterCertifierRequest body =
        call.body(RegisterCertifierRequest.class, BODY_LIMIT, violations);
    CertifierId id = violations.check("id", () -> new CertifierId(body.id()));
    List<VerificationKey> keys = new ArrayList<>();
    List<JsonNode> sent = RequestBodies.orEmpty(body.keys());
    for (int i = 0; i < sent.size(); i++) {
      JsonNode key = sent.get(i);
      keys.add(violations.check("keys/" + i, () -> key(key)));
    }
    violations.throwIfAny();
    Certifier certifier = products.registerCertifier(actor, id, body.displayName(), keys);
    call.json(201, Views.certifier(certifier));
  }

  /** A key is added only with an endorsement: a signature over the key change by a current key. */
  private void addCertifierKey(Call call) throws Exception {
    Principal actor = call.principal();
    CertifierId id = Validation.valid(() -> new CertifierId(call.path("id")));
    Violations violations = new Violations();
    AddCertifierKeyRequest body = call.body(AddCertifierKeyRequest.class, BODY_LIMIT, violations);
    VerificationKey key = violations.check("key", () -> key(body.key()));
    byte[] signature = endorsementSignature(body.endorsement(), violations);
    violations.throwIfAny();
    Certifier certifier = policies.addKey(actor, id, key, body.endorsement().keyId(), signature);
    call.json(201, Views.certifier(certifier));
  }

  private void revokeCertifierKey(Call call) throws Exception {
    Principal actor = call.principal();
    CertifierId id = Validation.valid(() -> new CertifierId(call.path("id")));
    Violations violations = new Violations();
    RevokeCertifierKeyRequest body =
        call.body(RevokeCertifierKeyRequest.class, BODY_LIMIT, violations);
    byte[] signature = endorsementSignature(body.endorsement(), violations);
    violations.throwIfAny();
    Certifier certifier =
        policies.revokeKey(actor, id, call.path("keyId"), body.endorsement().keyId(), signature);
    call.json(200, Views.certifier(certifier));
  }

  /**
   * The endorsement's signature; a missing endorsement is explained (a key change must be signed by
   * one of the certifier's current keys).
   */
  private static byte[] endorsementSignature(Endorsement endorsement, Violations violations) {
    violations.explain(
        "endorsement",
        "is required",
        "is required: a key change must be signed by one of the certifier's current keys"
            + " (sluice certifier add-key/revoke-key --endorse-key)");
    return violations.check(
        "endorsement/signature", () -> decodeSignature(endorsement.signature()));
  }

  static byte[] decodeSignature(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.InvalidInput("signature must be standard base64");
    }
    if (bytes.length == 0 || bytes.length > 1024) {
      throw new SluiceException.InvalidInput("a signature is 1 to 1024 bytes");
    }
    return bytes;
  }

  private void proposePolicy(Call call) throws Exception {
    Principal actor = call.principal();
    ProductName name = productName(call);
    Violations violations = new Violations();
    ProposePolicyRequest body = call.body(ProposePolicyRequest.class, BODY_LIMIT, violations);
    Optional<Integer> threshold = Optional.ofNullable(body.threshold());
    Optional<List<CertifierId>> certifiers =
        violations.check(
            "certifiers",
            () ->
                Optional.ofNullable(body.certifiers())
                    .map(list -> list.stream().map(CertifierId::new).toList()));
    violations.throwIfAny();
    PendingPolicy pending = policies.propose(actor, name, threshold, certifiers);
    call.header("Location", "/api/v1/products/" + name + "/policy/pending");
    call.json(201, pendingView(pending));
  }

  private void showPendingPolicy(Call call) throws Exception {
    call.json(200, pendingView(policies.pending(productName(call))));
  }

  private void withdrawPolicy(Call call) throws Exception {
    Principal actor = call.principal();
    policies.withdraw(actor, productName(call));
    call.bytes(204, "application/json", new byte[0]);
  }

  private void pendingStatement(Call call) throws Exception {
    PolicyStatement statement = policies.pending(productName(call)).statement();
    call.header(ReleaseEndpoints.STATEMENT_SHA256_HEADER, statement.sha256().hex());
    call.bytes(200, "application/json", statement.canonicalBytes());
  }

  private void signPolicy(Call call) throws Exception {
    Principal actor = call.principal();
    ProductName name = productName(call);
    Violations violations = new Violations();
    SignPolicyRequest body = call.body(SignPolicyRequest.class, BODY_LIMIT, violations);
    Optional<CertifierId> certifier =
        violations.check("certifier", () -> optional(body.certifier()).map(CertifierId::new));
    Sha256 statement =
        violations.check("statement_sha256", () -> Sha256.parse(body.statementSha256()));
    byte[] signature = violations.check("signature", () -> decodeSignature(body.signature()));
    violations.throwIfAny();
    PolicyService.SignResult result =
        policies.sign(actor, name, certifier, body.keyId(), signature, statement);
    ObjectNode node;
    switch (result) {
      case PolicyService.SignResult.Pending p -> {
        node = pendingView(p.pending());
        node.put("status", "pending");
      }
      case PolicyService.SignResult.Applied a -> {
        node = WireJson.MAPPER.createObjectNode();
        node.put("status", "applied");
        node.set("policy", Views.tree(Views.policy(a.policy(), a.policy().logIndex())));
      }
    }
    call.json(201, node);
  }

  private ObjectNode pendingView(PendingPolicy pending) {
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    node.put("product", pending.statement().product().value());
    node.set("statement", pending.statement().toJson());
    node.put("statement_sha256", pending.statement().sha256().hex());
    node.put("proposed_by", pending.proposedBy());
    node.put("proposed_at", Views.time(pending.proposedAt()));
    ArrayNode signatures = node.putArray("signatures");
    pending
        .signatures()
        .forEach(
            e ->
                signatures
                    .addObject()
                    .put("certifier", e.certifier().value())
                    .put("key_id", e.keyId())
                    .put("signature", e.signatureBase64()));
    return node;
  }

  private void updateProduct(Call call) throws Exception {
    Principal actor = call.principal();
    ProductName name = productName(call);
    Violations violations = new Violations();
    UpdateProductRequest body = call.body(UpdateProductRequest.class, BODY_LIMIT, violations);
    violations.explain("certifiers", "is an unknown field", UpdateProductRequest.NOT_SETTINGS);
    violations.explain("threshold", "is an unknown field", UpdateProductRequest.NOT_SETTINGS);
    Optional<List<Standard>> extraStandards =
        Optional.ofNullable(body.standards()).map(list -> standards(list, violations));
    OptionalLong maxSize =
        body.maxArtifactSize() == null
            ? OptionalLong.empty()
            : OptionalLong.of(body.maxArtifactSize());
    violations.throwIfAny();
    ProductUpdate update =
        Validation.valid(
            () ->
                new ProductUpdate(
                    Optional.ofNullable(body.description()),
                    maxSize,
                    Optional.ofNullable(body.securityUpdatesDeferrable()),
                    extraStandards));
    call.json(200, Views.product(products.update(actor, name, update)));
  }

  private void updateCertifier(Call call) throws Exception {
    Principal actor = call.principal();
    CertifierId id = Validation.valid(() -> new CertifierId(call.path("id")));
    UpdateCertifierRequest body = call.body(UpdateCertifierRequest.class, BODY_LIMIT);
    call.json(200, Views.certifier(products.updateCertifier(actor, id, body.displayName())));
  }

  private static Optional<String> optional(String value) {
    return Optional.ofNullable(value);
  }

  /** Each standard object read, or its problem recorded under {@code /standards/i}. */
  private static List<Standard> standards(List<JsonNode> sent, Violations violations) {
    List<Standard> read = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      JsonNode standard = sent.get(i);
      read.add(violations.check("standards/" + i, () -> StandardsJson.standardFromJson(standard)));
    }
    return read;
  }

  private static ProductName productName(Call call) {
    String raw = call.path("name");
    try {
      return new ProductName(raw);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("product", raw);
    }
  }

  private void listCertifiers(Call call) throws Exception {
    Page<Certifier> page =
        products.certifiers(
            call.query("after")
                .map(a -> KeyCursor.decode(PagedList.CERTIFIERS, a).as(CertifierId::new)),
            call.queryInt("limit", ListLimit.DEFAULT));
    call.json(
        200,
        new CertifierList(
            page.items().stream().map(Views::certifier).toList(),
            page.next().map(c -> c.encode(PagedList.CERTIFIERS)).orElse(null)));
  }

  private void showCertifier(Call call) throws Exception {
    CertifierId id = Validation.valid(() -> new CertifierId(call.path("id")));
    call.json(200, Views.certifier(products.certifier(id)));
  }

  private void createProduct(Call call) throws Exception {
    Principal actor = call.principal();
    // Every problem of the body is reported at once.
    Violations violations = new Violations();
    CreateProductRequest body = call.body(CreateProductRequest.class, BODY_LIMIT, violations);
    ProductName name = violations.check("name", () -> new ProductName(body.name()));
    List<CertifierId> certifiers =
        violations.check(
            "certifiers", () -> body.certifiers().stream().map(CertifierId::new).toList());
    List<Standard> extra = standards(RequestBodies.orEmpty(body.standards()), violations);
    violations.throwIfAny();
    NewProduct spec =
        Validation.valid(
            () ->
                new NewProduct(
                    name,
                    Objects.requireNonNullElse(body.description(), ""),
                    certifiers,
                    body.threshold(),
                    Objects.requireNonNullElse(body.maxArtifactSize(), DEFAULT_MAX_ARTIFACT_SIZE),
                    extra,
                    Objects.requireNonNullElse(body.securityUpdatesDeferrable(), true)));
    Product product = products.create(actor, spec);
    call.json(201, Views.product(product));
  }

  /** 4 GiB: a full OS image fits; a product can set its own limit. */
  static final long DEFAULT_MAX_ARTIFACT_SIZE = 4L << 30;

  private void listProducts(Call call) throws Exception {
    Page<Product> page =
        products.products(
            call.query("after")
                .map(a -> KeyCursor.decode(PagedList.PRODUCTS, a).as(ProductName::new)),
            call.queryInt("limit", ListLimit.DEFAULT));
    call.json(
        200,
        new ProductList(
            page.items().stream().map(Views::product).toList(),
            page.next().map(c -> c.encode(PagedList.PRODUCTS)).orElse(null)));
  }

  private void showProduct(Call call) throws Exception {
    ProductName name = Validation.valid(() -> new ProductName(call.path("name")));
    call.json(200, Views.product(products.product(name)));
  }

  /** A TUF key object; a {@code keyid} given with it must be the key's actual id. */
  private static VerificationKey key(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new SluiceException.InvalidInput("a key must be a JSON object");
    }
    ObjectNode copy = ((ObjectNode) json).deepCopy();
    JsonNode claimedId = copy.remove("keyid");
    VerificationKey key;
    try {
      key = VerificationKey.fromTufJson(copy);
    } catch (TrustException e) {
      throw new SluiceException.InvalidInput("invalid public key: " + e.getMessage());
    }
    if (claimedId != null && !key.keyId().equals(claimedId.asText())) {
      throw new SluiceException.InvalidInput(
          "the key's keyid "
              + claimedId.asText()
              + " does not match its content ("
              + key.keyId()
              + ")");
    }
    return key;
  }
}
