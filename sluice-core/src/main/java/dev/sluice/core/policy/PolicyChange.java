package dev.sluice.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.product.CertifierId;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** What changed between a policy and the one it replaces (docs/records.md, {@code change}). */
public record PolicyChange(Kind kind, Optional<CertifierId> certifier, Optional<String> keyId) {

  /** The kinds of change; key changes name the certifier and key. */
  public enum Kind {
    PRODUCT_CREATED,
    POLICY_CHANGED,
    KEY_ADDED,
    KEY_REVOKED,
    MIGRATED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Kind fromWire(String wire) {
      for (Kind k : values()) {
        if (k.wireName().equals(wire)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown policy change kind '" + wire + "'");
    }

    boolean isKeyChange() {
      return this == KEY_ADDED || this == KEY_REVOKED;
    }

    /** Whether this kind starts a product's chain (sequence 1). */
    public boolean isFirst() {
      return this == PRODUCT_CREATED || this == MIGRATED;
    }
  }

  public PolicyChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(certifier, "certifier");
    Objects.requireNonNull(keyId, "keyId");
    if (kind.isKeyChange() != (certifier.isPresent() && keyId.isPresent())
        || certifier.isPresent() != keyId.isPresent()) {
      throw new IllegalArgumentException(
          "a key change, and only a key change, names the certifier and the key");
    }
  }

  public static PolicyChange of(Kind kind) {
    return new PolicyChange(kind, Optional.empty(), Optional.empty());
  }

  public static PolicyChange key(Kind kind, CertifierId certifier, String keyId) {
    return new PolicyChange(kind, Optional.of(certifier), Optional.of(keyId));
  }

  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("kind", kind.wireName());
    certifier.ifPresent(c -> node.put("certifier", c.value()));
    keyId.ifPresent(k -> node.put("key_id", k));
    return node;
  }

  static PolicyChange fromJson(JsonNode node) {
    PolicyJson.only(node, Set.of("kind", "certifier", "key_id"));
    Kind kind = Kind.fromWire(PolicyJson.text(node, "kind"));
    return new PolicyChange(
        kind,
        node.has("certifier")
            ? Optional.of(new CertifierId(PolicyJson.text(node, "certifier")))
            : Optional.empty(),
        node.has("key_id") ? Optional.of(PolicyJson.text(node, "key_id")) : Optional.empty());
  }
}
