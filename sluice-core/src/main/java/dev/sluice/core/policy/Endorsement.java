package dev.sluice.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.product.CertifierId;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A certifier's signature carried by a policy record: over a key change or over the policy
 * statement (docs/records.md, {@code endorsements}).
 */
public record Endorsement(
    CertifierId certifier, String keyId, Signs signs, String signatureBase64) {

  /** What the signature covers. */
  public enum Signs {
    KEY_CHANGE,
    POLICY;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Signs fromWire(String wire) {
      for (Signs s : values()) {
        if (s.wireName().equals(wire)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown endorsement kind '" + wire + "'");
    }
  }

  public Endorsement {
    Objects.requireNonNull(certifier, "certifier");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(signs, "signs");
    Objects.requireNonNull(signatureBase64, "signatureBase64");
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(signatureBase64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a signature must be standard base64", e);
    }
    if (raw.length == 0 || raw.length > 1024) {
      throw new IllegalArgumentException("a signature is 1 to 1024 bytes");
    }
    signatureBase64 = Base64.getEncoder().encodeToString(raw);
  }

  public byte[] signature() {
    return Base64.getDecoder().decode(signatureBase64);
  }

  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("certifier", certifier.value());
    node.put("key_id", keyId);
    node.put("signs", signs.wireName());
    node.put("signature", signatureBase64);
    return node;
  }

  static Endorsement fromJson(JsonNode node) {
    PolicyJson.only(node, Set.of("certifier", "key_id", "signs", "signature"));
    return new Endorsement(
        new CertifierId(PolicyJson.text(node, "certifier")),
        PolicyJson.text(node, "key_id"),
        Signs.fromWire(PolicyJson.text(node, "signs")),
        PolicyJson.text(node, "signature"));
  }
}
