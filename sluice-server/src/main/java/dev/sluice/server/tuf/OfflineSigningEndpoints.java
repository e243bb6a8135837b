package dev.sluice.server.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.api.tuf.OfflineSignatureRequest;
import dev.sluice.api.tuf.TargetsKeyRequest;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Violations;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.publication.OfflineSigning;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.tuf.PendingMetadata;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Router;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.model.Signature;
import dev.sluice.trust.tuf.model.Targets;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Products whose delegated targets role is signed offline, at {@code /api/v1/tuf/}: the product's
 * key ({@code GET|PUT products/{product}/key}), the metadata waiting for a signature ({@code GET
 * pending}, {@code GET pending/{product}}: the unsigned metadata file) and the holder's signature
 * ({@code POST pending/{product}/signature}).
 */
public final class OfflineSigningEndpoints {
  private static final int BODY_LIMIT = 64 * 1024;

  private final OfflineSigning offline;

  public OfflineSigningEndpoints(OfflineSigning offline) {
    this.offline = offline;
  }

  public void register(Router router) {
    router.get(
        "/api/v1/tuf/products/{product}/key",
        Access.role(Role.ADMIN, Role.RELEASE_MANAGER, Role.AUDITOR),
        this::key);
    router.put("/api/v1/tuf/products/{product}/key", Access.role(Role.ADMIN), this::setKey);
    router.get(
        "/api/v1/tuf/pending",
        Access.role(Role.ADMIN, Role.RELEASE_MANAGER, Role.AUDITOR),
        this::pendingList);
    router.get(
        "/api/v1/tuf/pending/{product}",
        Access.role(Role.ADMIN, Role.RELEASE_MANAGER, Role.AUDITOR),
        this::pendingFile);
    router.post(
        "/api/v1/tuf/pending/{product}/signature",
        Access.role(Role.ADMIN, Role.RELEASE_MANAGER),
        this::signature);
  }

  private void key(Call call) throws IOException {
    Principal actor = call.principal();
    ProductName product = product(call);
    Optional<VerificationKey> key = offline.offlineKey(actor, product);
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    body.put("product", product.value());
    body.put("signing", key.isPresent() ? "offline" : "online");
    key.ifPresent(
        k -> {
          body.put("key_id", k.keyId());
          body.set("key", k.toTufJson());
        });
    call.json(200, body);
  }

  private void setKey(Call call) throws IOException {
    Principal actor = call.principal();
    ProductName product = product(call);
    TargetsKeyRequest json = call.body(TargetsKeyRequest.class, BODY_LIMIT);
    String signing = json.signing();
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    body.put("product", product.value());
    body.put("signing", signing);
    switch (signing) {
      case "offline" -> {
        if (json.key() == null) {
          throw new SluiceException.InvalidInput(
              "key is required for offline signing",
              List.of(new SluiceException.Violation("/key", "is required")),
              null);
        }
        VerificationKey key = publicKey(json.key());
        Optional<PendingMetadata> pending = offline.setOfflineKey(actor, product, key);
        body.put("key_id", key.keyId());
        pending.ifPresentOrElse(
            p -> body.set("pending", pending(p)), () -> body.putNull("pending"));
      }
      case "online" -> {
        if (json.key() != null) {
          throw new SluiceException.InvalidInput("an online key is the server's: send no \"key\"");
        }
        releases(body.putArray("completed"), offline.setOnline(actor, product));
      }
      default ->
          throw new SluiceException.InvalidInput(
              "\"signing\" is \"offline\" (with a \"key\") or \"online\"");
    }
    call.json(200, body);
  }

  private void pendingList(Call call) throws IOException {
    Principal actor = call.principal();
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    ArrayNode list = body.putArray("pending");
    for (PendingMetadata p : offline.pending(actor)) {
      list.add(pending(p));
    }
    call.json(200, body);
  }

  private void pendingFile(Call call) throws IOException {
    Principal actor = call.principal();
    PendingMetadata pending = offline.pending(actor, product(call));
    call.bytes(200, "application/json", pending.metadata().toBytes());
  }

  private void signature(Call call) throws IOException {
    Principal actor = call.principal();
    ProductName product = product(call);
    Violations violations = new Violations();
    OfflineSignatureRequest json = call.body(OfflineSignatureRequest.class, BODY_LIMIT, violations);
    Signature signature = violations.check("sig", () -> signature(json));
    Sha256 sha256 = violations.check("signed_sha256", () -> Sha256.parse(json.signedSha256()));
    violations.throwIfAny();
    OfflineSigning.Signed signed = offline.submitSignature(actor, product, signature, sha256);
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    body.put("product", product.value());
    body.put("version", signed.version());
    releases(body.putArray("completed"), signed.completed());
    call.json(200, body);
  }

  private static Signature signature(OfflineSignatureRequest json) {
    if (json.keyid() == null || json.sig() == null) {
      return null; // already refused as missing or of the wrong type
    }
    try {
      return new Signature(json.keyid(), json.sig());
    } catch (TrustException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static ObjectNode pending(PendingMetadata p) {
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    node.put("role", p.role());
    node.put("version", p.version());
    node.put("signed_sha256", p.sha256().hex());
    Targets next = p.metadata().signed();
    node.put("expires", next.expires().toString());
    node.put("targets", next.targets().size());
    node.put("created_at", p.createdAt().toString());
    return node;
  }

  private static void releases(ArrayNode array, List<ReleaseId> ids) {
    ids.forEach(id -> array.add(id.value()));
  }

  private static VerificationKey publicKey(JsonNode json) {
    if (!json.isObject()) {
      throw new SluiceException.InvalidInput("\"key\" is a TUF public key object");
    }
    ObjectNode copy = ((ObjectNode) json).deepCopy();
    JsonNode claimedId = copy.remove("keyid");
    try {
      VerificationKey key = VerificationKey.fromTufJson(copy);
      if (claimedId != null && !key.keyId().equals(claimedId.asText())) {
        throw new SluiceException.InvalidInput(
            "the key's keyid " + claimedId.asText() + " is not its key id " + key.keyId());
      }
      return key;
    } catch (TrustException e) {
      throw new SluiceException.InvalidInput("invalid public key: " + e.getMessage());
    }
  }

  private static ProductName product(Call call) {
    String name = call.path("product");
    try {
      return new ProductName(name);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("product", name);
    }
  }
}
