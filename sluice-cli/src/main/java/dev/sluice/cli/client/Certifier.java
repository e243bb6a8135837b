package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A registered certifier: typed accessors over the JSON the server sent. */
public record Certifier(JsonNode json) {
  public Certifier {
    Fields.object(json, "a certifier");
    Fields.text(json, "id");
  }

  /** One of the certifier's public keys. */
  public record Key(String keyId, String keytype, String scheme) {}

  public String id() {
    return Fields.text(json, "id");
  }

  public String displayName() {
    return Fields.optionalText(json, "display_name").orElse("");
  }

  public List<Key> keys() {
    return Fields.objects(json, "keys").stream()
        .map(
            k ->
                new Key(
                    Fields.text(k, "keyid"),
                    Fields.optionalText(k, "keytype").orElse(""),
                    Fields.optionalText(k, "scheme").orElse("")))
        .toList();
  }

  /** The certifier's key-set version (1, plus one per key added or revoked). */
  public int version() {
    JsonNode v = json.get("version");
    return v != null && v.canConvertToInt() ? v.asInt() : 1;
  }

  /** The current public key with this id, as the server lists it. */
  public java.util.Optional<dev.sluice.trust.key.VerificationKey> publicKey(String keyId) {
    for (JsonNode k : Fields.objects(json, "keys")) {
      if (keyId.equals(Fields.text(k, "keyid"))) {
        com.fasterxml.jackson.databind.node.ObjectNode copy =
            ((com.fasterxml.jackson.databind.node.ObjectNode) k).deepCopy();
        copy.remove("keyid");
        dev.sluice.trust.key.VerificationKey key =
            dev.sluice.trust.key.VerificationKey.fromTufJson(copy);
        if (!key.keyId().equals(keyId)) {
          throw new IllegalStateException("the server listed key " + keyId + " with another key");
        }
        return java.util.Optional.of(key);
      }
    }
    return java.util.Optional.empty();
  }

  public String createdAt() {
    return Fields.optionalText(json, "created_at").orElse("");
  }
}
