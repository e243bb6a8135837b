package dev.sluice.core.certification;

import dev.sluice.core.product.CertifierId;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A certifier's recorded decision on a release: which key signed which statement, and the signature
 * (base64), which anyone can re-verify against the certifier's public key.
 */
public record SignOff(
    ReleaseId releaseId,
    CertifierId certifier,
    String keyId,
    Decision decision,
    Optional<String> reason,
    Sha256 statementSha256,
    String signatureBase64,
    Instant signedAt) {

  public SignOff {
    Objects.requireNonNull(releaseId, "releaseId");
    Objects.requireNonNull(certifier, "certifier");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(statementSha256, "statementSha256");
    Objects.requireNonNull(signatureBase64, "signatureBase64");
    Base64.getDecoder().decode(signatureBase64);
    Objects.requireNonNull(signedAt, "signedAt");
    if (decision == Decision.REJECT && reason.isEmpty()) {
      throw new IllegalArgumentException("a rejection carries a reason");
    }
  }

  public byte[] signature() {
    return Base64.getDecoder().decode(signatureBase64);
  }
}
