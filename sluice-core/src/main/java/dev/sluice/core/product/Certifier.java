package dev.sluice.core.product;

import dev.sluice.core.Text;
import dev.sluice.trust.key.VerificationKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An independent certifying authority and the public keys registered for it. Its private keys stay
 * on its own machines; the server only ever sees signatures. {@code keys} are its current
 * (unrevoked) keys, possibly none once it revoked them all; {@code keyVersion} starts at 1 and
 * grows by one with every key added or revoked (docs/records.md).
 */
public record Certifier(
    CertifierId id,
    String displayName,
    List<VerificationKey> keys,
    Instant createdAt,
    int keyVersion) {
  public Certifier {
    Objects.requireNonNull(id, "id");
    displayName = Text.check("a certifier's display name", displayName, 200, true, false);
    keys = List.copyOf(keys);
    if (keyVersion < 1) {
      throw new IllegalArgumentException("a certifier's key-set version starts at 1");
    }
    if (keys.stream().map(VerificationKey::keyId).distinct().count() != keys.size()) {
      throw new IllegalArgumentException("a certifier's keys must be distinct");
    }
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A newly registered certifier: key-set version 1, with at least one key. */
  public Certifier(
      CertifierId id, String displayName, List<VerificationKey> keys, Instant createdAt) {
    this(id, displayName, keys, createdAt, 1);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a certifier needs at least one public key");
    }
  }

  /** The current key with this key id, if there is one. */
  public Optional<VerificationKey> key(String keyId) {
    return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
  }
}
