package dev.sluice.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.product.CertifierId;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.key.VerificationKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One certifier as a policy lists it: its id, its key-set version and its current keys (sorted by
 * key id).
 */
public record PolicyCertifier(CertifierId id, int version, List<VerificationKey> keys) {
  public PolicyCertifier {
    Objects.requireNonNull(id, "id");
    if (version < 1) {
      throw new IllegalArgumentException("a certifier's key-set version starts at 1");
    }
    keys = keys.stream().sorted(Comparator.comparing(VerificationKey::keyId)).toList();
    if (keys.stream().map(VerificationKey::keyId).distinct().count() != keys.size()) {
      throw new IllegalArgumentException("certifier '" + id + "' lists a key twice");
    }
  }

  public Optional<VerificationKey> key(String keyId) {
    return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
  }

  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", id.value());
    node.put("version", version);
    ArrayNode list = node.putArray("keys");
    for (VerificationKey k : keys) {
      ObjectNode entry = list.addObject();
      entry.put("key_id", k.keyId());
      entry.set("key", k.toTufJson());
    }
    return node;
  }

  static PolicyCertifier fromJson(JsonNode node) {
    PolicyJson.only(node, Set.of("id", "version", "keys"));
    List<VerificationKey> keys = new ArrayList<>();
    for (JsonNode entry : PolicyJson.array(node, "keys")) {
      PolicyJson.only(entry, Set.of("key_id", "key"));
      VerificationKey key;
      try {
        key = VerificationKey.fromTufJson(PolicyJson.field(entry, "key"));
      } catch (TrustException e) {
        throw new IllegalArgumentException("invalid certifier key: " + e.getMessage(), e);
      }
      if (!key.keyId().equals(PolicyJson.text(entry, "key_id"))) {
        throw new IllegalArgumentException("a key_id does not match its key");
      }
      keys.add(key);
    }
    return new PolicyCertifier(
        new CertifierId(PolicyJson.text(node, "id")),
        PolicyJson.smallInteger(node, "version"),
        keys);
  }
}
