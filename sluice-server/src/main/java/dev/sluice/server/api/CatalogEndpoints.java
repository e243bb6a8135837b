package dev.sluice.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.api.catalog.CertifierList;
import dev.sluice.api.catalog.ProductList;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Validation;
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
import dev.sluice.server.http.JsonBody;
import dev.sluice.server.http.Router;
import dev.sluice.server.http.Violations;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.VerificationKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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
    router.get("/api/v1/certifiers", Access.token(), this::listCertifiers);
    router.get("/api/v1/certifiers/{id}", Access.token(), this::showCertifier);
    router.post(
        "/api/v1/certifiers/{id}/keys",
        Access.role(Role.ADMIN, Role.CERTIFIER),
        this::addCertifierKey);
    router.post("/api/v1/products", Access.role(Role.ADMIN), this::createProduct);
    router.get("/api/v1/products", Access.token(), this::listProducts);
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
    JsonBody body =
        call.jsonBody(BODY_LIMIT).allowOnly("role", "label", "certifier", "product", "expires_at");
    Role role = Validation.valid(() -> Role.fromWire(body.text("role")));
    Optional<CertifierId> certifier =
        body.optionalText("certifier").map(c -> Validation.valid(() -> new CertifierId(c)));
    Optional<ProductName> product =
        body.optionalText("product").map(n -> Validation.valid(() -> new ProductName(n)));
    Optional<java.time.Instant> expiresAt =
        body.optionalText("expires_at").map(CredentialEndpoints::instant);
    TokenService.IssuedToken issued =
        tokens.issue(actor, role, certifier, product, body.text("label"), expiresAt);
    call.header("Location", "/api/v1/tokens/" + issued.token().id());
    call.json(201, Views.token(issued.token()).withSecret(issued.secret()));
  }

  private void registerCertifier(Call call) throws Exception {
    Principal actor = call.principal();
    JsonBody body = call.jsonBody(BODY_LIMIT).allowOnly("id", "display_name", "keys");
    CertifierId id = Validation.valid(() -> new CertifierId(body.text("id")));
    List<VerificationKey> keys = new ArrayList<>();
    for (JsonNode key : body.list("keys")) {
      keys.add(key(key));
    }
    Certifier certifier = products.registerCertifier(actor, id, body.text("display_name"), keys);
    call.json(201, Views.certifier(certifier));
  }

  /** A key is added only with an endorsement: a signature over the key change by a current key. */
  private void addCertifierKey(Call call) throws Exception {
    Principal actor = call.principal();
    CertifierId id = Validation.valid(() -> new CertifierId(call.path("id")));
    JsonBody body = call.jsonBody(BODY_LIMIT).allowOnly("key", "endorsement");
    VerificationKey key = key(body.required("key"));
    JsonBody endorsement = endorsement(body);
    Certifier certifier =
        policies.addKey(
            actor,
            id,
            key,
            endorsement.text("key_id"),
            decodeSignature(endorsement.text("signature")));
    call.json(201, Views.certifier(certifier));
  }

  private void revokeCertifierKey(Call call) throws Exception {
    Principal actor = call.principal();
    CertifierId id = Validation.valid(() -> new CertifierId(call.path("id")));
    JsonBody body = call.jsonBody(BODY_LIMIT).allowOnly("endorsement");
    JsonBody endorsement = endorsement(body);
    Certifier certifier =
        policies.revokeKey(
            actor,
            id,
            call.path("keyId"),
            endorsement.text("key_id"),
            decodeSignature(endorsement.text("signature")));
    call.json(200, Views.certifier(certifier));
  }

  private static JsonBody endorsement(JsonBody body) {
    JsonNode node = body.node().get("endorsement");
    if (node == null || node.isNull()) {
      throw new SluiceException.InvalidInput(
          "endorsement is required: a key change must be signed by one of the certifier's current"
              + " keys (sluice certifier add-key/revoke-key --endorse-key)",
          List.of(new SluiceException.Violation("/endorsement", "is required")),
          null);
    }
    if (!node.isObject()) {
      throw new SluiceException.InvalidInput(
          "endorsement must be an object {key_id, signature}",
          List.of(new SluiceException.Violation("/endorsement", "must be an object")),
          null);
    }
    return JsonBody.of(node, "endorsement").allowOnly("key_id", "signature");
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
    JsonBody body = call.jsonBody(BODY_LIMIT).allowOnly("threshold", "certifiers");
    Optional<Integer> threshold =
        body.node().has("threshold") ? Optional.of(body.intValue("threshold")) : Optional.empty();
    Optional<List<CertifierId>> certifiers =
        body.node().has("certifiers")
            ? Optional.of(
                body.textList("certifiers").stream()
                    .map(c -> Validation.valid(() -> new CertifierId(c)))
                    .toList())
            : Optional.empty();
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
    JsonBody body =
        call.jsonBody(BODY_LIMIT).allowOnly("certifier", "key_id", "signature", "statement_sha256");
    Optional<CertifierId> certifier =
        body.optionalText("certifier").map(c -> Validation.valid(() -> new CertifierId(c)));
    Sha256 statement = Validation.valid(() -> Sha256.parse(body.text("statement_sha256")));
    PolicyService.SignResult result =
        policies.sign(
            actor,
            name,
            certifier,
            body.text("key_id"),
            decodeSignature(body.text("signature")),
            statement);
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
    JsonBody raw = call.jsonBody(BODY_LIMIT);
    for (String field : List.of("certifiers", "threshold")) {
      if (raw.node().has(field)) {
        throw new SluiceException.InvalidInput(
            field
                + " is not a setting: a product's certifiers and threshold change only by an"
                + " endorsed policy proposal (sluice policy propose)",
            List.of(new SluiceException.Violation("/" + field, "not a setting")),
            null);
      }
    }
    JsonBody body =
        raw.allowOnly(
            "description", "max_artifact_size", "standards", "security_updates_deferrable");
    Optional<List<Standard>> standards = Optional.empty();
    if (body.node().has("standards")) {
      List<Standard> extra = new ArrayList<>();
      for (JsonNode standard : body.list("standards")) {
        extra.add(Validation.valid(() -> StandardsJson.standardFromJson(standard)));
      }
      standards = Optional.of(extra);
    }
    Optional<List<Standard>> extraStandards = standards;
    OptionalLong maxSize =
        body.optionalLong("max_artifact_size").map(OptionalLong::of).orElse(OptionalLong.empty());
    ProductUpdate update =
        Validation.valid(
            () ->
                new ProductUpdate(
                    body.optionalMultilineText("description"),
                    maxSize,
                    optionalBoolean(body, "security_updates_deferrable"),
                    extraStandards));
    call.json(200, Views.product(products.update(actor, name, update)));
  }

  private void updateCertifier(Call call) throws Exception {
    Principal actor = call.principal();
    CertifierId id = Validation.valid(() -> new CertifierId(call.path("id")));
    JsonBody body = call.jsonBody(BODY_LIMIT).allowOnly("display_name");
    call.json(200, Views.certifier(products.updateCertifier(actor, id, body.text("display_name"))));
  }

  private static Optional<Boolean> optionalBoolean(JsonBody body, String field) {
    JsonNode value = body.node().get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      throw new SluiceException.InvalidInput(
          field + " must be true or false",
          List.of(new SluiceException.Violation("/" + field, "must be a boolean")),
          null);
    }
    return Optional.of(value.booleanValue());
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
    call.json(
        200, new CertifierList(products.certifiers().stream().map(Views::certifier).toList()));
  }

  private void showCertifier(Call call) throws Exception {
    CertifierId id = Validation.valid(() -> new CertifierId(call.path("id")));
    call.json(200, Views.certifier(products.certifier(id)));
  }

  private void createProduct(Call call) throws Exception {
    Principal actor = call.principal();
    JsonBody body = call.jsonBody(BODY_LIMIT);
    // Every problem of the body is reported at once.
    Violations violations = new Violations();
    violations.check(
        "",
        () ->
            body.allowOnly(
                "name",
                "description",
                "certifiers",
                "threshold",
                "max_artifact_size",
                "standards",
                "security_updates_deferrable"));
    ProductName name = violations.check("name", () -> new ProductName(body.text("name")));
    String description =
        violations.check("description", () -> body.optionalMultilineText("description").orElse(""));
    List<CertifierId> certifiers =
        violations.check(
            "certifiers",
            () -> body.textList("certifiers").stream().map(CertifierId::new).toList());
    Integer threshold = violations.check("threshold", () -> body.intValue("threshold"));
    Long maxSize =
        violations.check(
            "max_artifact_size",
            () -> body.optionalLong("max_artifact_size").orElse(DEFAULT_MAX_ARTIFACT_SIZE));
    List<Standard> extra =
        violations.check(
            "standards",
            () -> {
              List<Standard> read = new ArrayList<>();
              for (JsonNode standard : body.list("standards")) {
                read.add(Validation.valid(() -> StandardsJson.standardFromJson(standard)));
              }
              return read;
            });
    Boolean deferrable =
        violations.check(
            "security_updates_deferrable",
            () -> optionalBoolean(body, "security_updates_deferrable").orElse(true));
    violations.throwIfAny();
    NewProduct spec =
        new NewProduct(name, description, certifiers, threshold, maxSize, extra, deferrable);
    Product product = products.create(actor, spec);
    call.json(201, Views.product(product));
  }

  /** 4 GiB: a full OS image fits; a product can set its own limit. */
  static final long DEFAULT_MAX_ARTIFACT_SIZE = 4L << 30;

  private void listProducts(Call call) throws Exception {
    call.json(200, new ProductList(products.products().stream().map(Views::product).toList()));
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
