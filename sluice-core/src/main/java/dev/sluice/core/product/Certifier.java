package dev.sluice.core.product;

import dev.sluice.core.Text;
import dev.sluice.trust.key.VerificationKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An independent certifying authority and the public keys registered for it. Its private keys stay
 * on its own machines; the server only ever sees signatures.
 */
public record Certifier(
    CertifierId id, String displayName, List<VerificationKey> keys, Instant createdAt) {
  public Certifier {
    Objects.requireNonNull(id, "id");
    displayName = Text.check("a certifier's display name", displayName, 200, true, false);
    keys = List.copyOf(keys);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a certifier needs at least one public key");
    }
    if (keys.stream().map(VerificationKey::keyId).distinct().count() != keys.size()) {
      throw new IllegalArgumentException("a certifier's keys must be distinct");
    }
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** The registered key with this key id, if there is one. */
  public Optional<VerificationKey> key(String keyId) {
    return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
  }
}
