package dev.sluice.core.product;

import dev.sluice.trust.key.VerificationKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One key a certifier has had: when it was added and, if so, revoked, with the certifier's key-set
 * versions that did it (the versions named by the key changes in the policy records).
 */
public record CertifierKeyHistory(
    VerificationKey key,
    Instant addedAt,
    int addedVersion,
    Optional<Instant> revokedAt,
    Optional<Integer> revokedVersion) {
  public CertifierKeyHistory {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(addedAt, "addedAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(revokedVersion, "revokedVersion");
    if (revokedAt.isPresent() != revokedVersion.isPresent()) {
      throw new IllegalArgumentException("a revoked key has both a revocation time and version");
    }
  }

  public boolean revoked() {
    return revokedAt.isPresent();
  }
}
