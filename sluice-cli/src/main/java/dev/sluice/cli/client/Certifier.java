package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.catalog.CertifierView;
import dev.sluice.trust.key.VerificationKey;
import java.util.List;
import java.util.Optional;

/** A registered certifier: the wire record and the exact JSON received (for {@code --json}). */
public record Certifier(JsonNode json, CertifierView view) {
  public Certifier {
    Answers.required(view.id(), "id", "a certifier");
  }

  public Certifier(JsonNode json) {
    this(json, Answers.bind(json, CertifierView.class, "a certifier"));
  }

  /** One of the certifier's public keys. */
  public record Key(String keyId, String keytype, String scheme) {}

  public String id() {
    return view.id();
  }

  public String displayName() {
    return Answers.orEmpty(view.displayName());
  }

  public List<Key> keys() {
    return view.keys().stream()
        .map(
            k ->
                new Key(
                    Answers.required(k.path("keyid").textValue(), "keyid", "a certifier key"),
                    k.path("keytype").asText(""),
                    k.path("scheme").asText("")))
        .toList();
  }

  /** The certifier's key-set version (1, plus one per key added or revoked). */
  public int version() {
    return view.version() < 1 ? 1 : (int) view.version();
  }

  /** The current public key with this id, as the server lists it. */
  public Optional<VerificationKey> publicKey(String keyId) {
    for (ObjectNode k : view.keys()) {
      if (keyId.equals(k.path("keyid").textValue())) {
        ObjectNode copy = k.deepCopy();
        copy.remove("keyid");
        VerificationKey key = VerificationKey.fromTufJson(copy);
        if (!key.keyId().equals(keyId)) {
          throw new IllegalStateException("the server listed key " + keyId + " with another key");
        }
        return Optional.of(key);
      }
    }
    return Optional.empty();
  }

  public String createdAt() {
    return Answers.orEmpty(view.createdAt());
  }
}
