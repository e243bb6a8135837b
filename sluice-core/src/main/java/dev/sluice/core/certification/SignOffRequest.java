package dev.sluice.core.certification;

import dev.sluice.trust.hash.Sha256;
import java.util.Objects;
import java.util.Optional;

/**
 * A certifier's signed decision as submitted: the key that signed, the signature, and the digest of
 * the statement the certifier saw (so a signature over an outdated statement is refused as stale
 * with a clear message rather than as a bad signature).
 */
public record SignOffRequest(
    Decision decision,
    String keyId,
    byte[] signature,
    Sha256 statementSha256,
    Optional<String> reason) {
  public SignOffRequest {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(signature, "signature");
    signature = signature.clone();
    Objects.requireNonNull(statementSha256, "statementSha256");
    Objects.requireNonNull(reason, "reason");
    if (decision == Decision.REJECT && reason.isEmpty()) {
      throw new IllegalArgumentException("a rejection needs a reason");
    }
  }

  /** The exact bytes the signature must cover for this decision. */
  public byte[] signedBytes(ReleaseStatement statement) {
    return switch (decision) {
      case APPROVE -> statement.canonicalBytes();
      case REJECT -> new Rejection(statementSha256, reason.orElseThrow()).canonicalBytes();
    };
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignOffRequest other
        && decision == other.decision
        && keyId.equals(other.keyId)
        && java.util.Arrays.equals(signature, other.signature)
        && statementSha256.equals(other.statementSha256)
        && reason.equals(other.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(decision, keyId, java.util.Arrays.hashCode(signature), statementSha256);
  }

  @Override
  public String toString() {
    return "SignOffRequest[" + decision + ", key " + keyId + ", statement " + statementSha256 + "]";
  }
}
