package dev.sluice.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Validation;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.auth.TokenService;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.NewProduct;
import dev.sluice.core.product.Product;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.product.ProductService;
import dev.sluice.core.standards.Standard;
import dev.sluice.core.standards.StandardsJson;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Json;
import dev.sluice.server.http.JsonBody;
import dev.sluice.server.http.Router;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.key.VerificationKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Products, certifiers and API tokens. */
final class CatalogEndpoints {
  private static final int BODY_LIMIT = 256 * 1024;
  private final ProductService products;
  private final TokenService tokens;
  private final Authenticator auth;

  CatalogEndpoints(ProductService products, TokenService tokens, Authenticator auth) {
    this.products = products;
    this.tokens = tokens;
    this.auth = auth;
  }

  void register(Router router) {
    router.get("/api/v1/whoami", this::whoami);
    router.post("/api/v1/tokens", this::issueToken);
    router.post("/api/v1/certifiers", this::registerCertifier);
    router.get("/api/v1/certifiers", this::listCertifiers);
    router.get("/api/v1/certifiers/{id}", this::showCertifier);
    router.post("/api/v1/certifiers/{id}/keys", this::addCertifierKey);
    router.post("/api/v1/products", this::createProduct);
    router.get("/api/v1/products", this::listProducts);
    router.get("/api/v1/products/{name}", this::showProduct);
  }

  private void whoami(Call call) throws Exception {
    Principal p = auth.principal(call);
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("name", p.name());
    node.put("role", p.role().wireName());
    p.certifier().ifPresent(c -> node.put("certifier", c.value()));
    call.json(200, node);
  }

  private void issueToken(Call call) throws Exception {
    Principal actor = auth.principal(call);
    JsonBody body = call.jsonBody(BODY_LIMIT).allowOnly("role", "label", "certifier", "product");
    Role role = Validation.valid(() -> Role.fromWire(body.text("role")));
    Optional<CertifierId> certifier =
        body.optionalText("certifier").map(c -> Validation.valid(() -> new CertifierId(c)));
    Optional<ProductName> product =
        body.optionalText("product").map(n -> Validation.valid(() -> new ProductName(n)));
    TokenService.IssuedToken issued =
        tokens.issue(actor, role, certifier, product, body.text("label"));
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("token", issued.secret());
    node.put("role", issued.token().role().wireName());
    node.put("label", issued.token().label());
    issued.token().certifier().ifPresent(c -> node.put("certifier", c.value()));
    issued.token().product().ifPresent(p -> node.put("product", p.value()));
    call.json(201, node);
  }

  private void registerCertifier(Call call) throws Exception {
    Principal actor = auth.principal(call);
    JsonBody body = call.jsonBody(BODY_LIMIT).allowOnly("id", "display_name", "keys");
    CertifierId id = Validation.valid(() -> new CertifierId(body.text("id")));
    List<VerificationKey> keys = new ArrayList<>();
    for (JsonNode key : body.list("keys")) {
      keys.add(key(key));
    }
    Certifier certifier = products.registerCertifier(actor, id, body.text("display_name"), keys);
    call.json(201, Views.certifier(certifier));
  }

  private void addCertifierKey(Call call) throws Exception {
    Principal actor = auth.principal(call);
    CertifierId id = Validation.valid(() -> new CertifierId(call.path("id")));
    JsonBody body = call.jsonBody(BODY_LIMIT).allowOnly("key");
    Certifier certifier = products.addCertifierKey(actor, id, key(body.required("key")));
    call.json(201, Views.certifier(certifier));
  }

  private void listCertifiers(Call call) throws Exception {
    auth.principal(call);
    ObjectNode node = Json.MAPPER.createObjectNode();
    ArrayNode list = node.putArray("certifiers");
    products.certifiers().forEach(c -> list.add(Views.certifier(c)));
    call.json(200, node);
  }

  private void showCertifier(Call call) throws Exception {
    auth.principal(call);
    CertifierId id = Validation.valid(() -> new CertifierId(call.path("id")));
    call.json(200, Views.certifier(products.certifier(id)));
  }

  private void createProduct(Call call) throws Exception {
    Principal actor = auth.principal(call);
    JsonBody body =
        call.jsonBody(BODY_LIMIT)
            .allowOnly(
                "name", "description", "certifiers", "threshold", "max_artifact_size", "standards");
    ProductName name = Validation.valid(() -> new ProductName(body.text("name")));
    List<CertifierId> certifiers =
        body.textList("certifiers").stream()
            .map(c -> Validation.valid(() -> new CertifierId(c)))
            .toList();
    List<Standard> extra = new ArrayList<>();
    for (JsonNode standard : body.list("standards")) {
      extra.add(Validation.valid(() -> StandardsJson.standardFromJson(standard)));
    }
    NewProduct spec =
        new NewProduct(
            name,
            body.optionalMultilineText("description").orElse(""),
            certifiers,
            body.intValue("threshold"),
            body.optionalLong("max_artifact_size").orElse(DEFAULT_MAX_ARTIFACT_SIZE),
            extra);
    Product product = products.create(actor, spec);
    call.json(201, Views.product(product));
  }

  /** 4 GiB: a full OS image fits; a product can set its own limit. */
  static final long DEFAULT_MAX_ARTIFACT_SIZE = 4L << 30;

  private void listProducts(Call call) throws Exception {
    auth.principal(call);
    ObjectNode node = Json.MAPPER.createObjectNode();
    ArrayNode list = node.putArray("products");
    products.products().forEach(p -> list.add(Views.product(p)));
    call.json(200, node);
  }

  private void showProduct(Call call) throws Exception {
    auth.principal(call);
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
