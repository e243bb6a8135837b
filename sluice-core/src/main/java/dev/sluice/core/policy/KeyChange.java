package dev.sluice.core.policy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.product.CertifierId;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.VerificationKey;
import java.util.Locale;
import java.util.Objects;

/**
 * A certifier's key being added or revoked (docs/records.md, {@code
 * sluice.certifier-key-change/v1}). One of the certifier's current keys signs its canonical JSON;
 * {@code version} is the certifier's key-set version after the change, so an old change cannot be
 * replayed.
 */
public record KeyChange(CertifierId certifier, Action action, VerificationKey key, int version) {

  public static final String TYPE = "sluice.certifier-key-change/v1";

  /** Adding or revoking. */
  public enum Action {
    ADD,
    REVOKE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public PolicyChange.Kind policyChange() {
      return this == ADD ? PolicyChange.Kind.KEY_ADDED : PolicyChange.Kind.KEY_REVOKED;
    }
  }

  public KeyChange {
    Objects.requireNonNull(certifier, "certifier");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(key, "key");
    if (version < 2) {
      throw new IllegalArgumentException(
          "a key change follows the certifier's first key set: its version is at least 2");
    }
  }

  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("type", TYPE);
    node.put("certifier", certifier.value());
    node.put("action", action.wireName());
    node.set("key", key.toTufJson());
    node.put("version", version);
    return node;
  }

  /** The bytes the certifier signs. */
  public byte[] canonicalBytes() {
    return CanonicalJson.encode(toJson());
  }
}
