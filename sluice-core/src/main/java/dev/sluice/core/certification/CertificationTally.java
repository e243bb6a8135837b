package dev.sluice.core.certification;

import dev.sluice.core.policy.PolicyStatement;
import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.Product;
import dev.sluice.trust.key.SignatureVerificationException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Counts a release's sign-offs against its product's policy: each of the product's certifiers
 * counts once, approvals over a statement other than the current one do not count, and any
 * rejection blocks.
 */
public record CertificationTally(
    Set<CertifierId> approvedBy, Set<CertifierId> rejectedBy, int threshold) {

  public CertificationTally {
    approvedBy = Set.copyOf(approvedBy);
    rejectedBy = Set.copyOf(rejectedBy);
  }

  public static CertificationTally of(
      Product product, ReleaseStatement current, List<SignOff> signOffs) {
    var currentDigest = current.sha256();
    Set<CertifierId> approved =
        signOffs.stream()
            .filter(s -> s.decision() == Decision.APPROVE)
            .filter(s -> s.statementSha256().equals(currentDigest))
            .map(SignOff::certifier)
            .filter(product::isCertifier)
            .collect(Collectors.toSet());
    Set<CertifierId> rejected =
        signOffs.stream()
            .filter(s -> s.decision() == Decision.REJECT)
            .map(SignOff::certifier)
            .filter(product::isCertifier)
            .collect(Collectors.toSet());
    return new CertificationTally(approved, rejected, product.threshold());
  }

  /**
   * Counts the sign-offs under a certification policy: an approval counts only if its certifier is
   * in the policy, its key is listed there for that certifier and its signature over the current
   * statement verifies with that key; a rejection counts if its certifier is in the policy.
   */
  public static CertificationTally of(
      PolicyStatement policy, ReleaseStatement current, List<SignOff> signOffs) {
    var currentDigest = current.sha256();
    byte[] signed = current.canonicalBytes();
    Set<CertifierId> approved =
        signOffs.stream()
            .filter(s -> s.decision() == Decision.APPROVE)
            .filter(s -> s.statementSha256().equals(currentDigest))
            .filter(
                s ->
                    policy
                        .certifier(s.certifier())
                        .flatMap(c -> c.key(s.keyId()))
                        .map(k -> verifies(k, signed, s.signature()))
                        .orElse(false))
            .map(SignOff::certifier)
            .collect(Collectors.toSet());
    Set<CertifierId> rejected =
        signOffs.stream()
            .filter(s -> s.decision() == Decision.REJECT)
            .map(SignOff::certifier)
            .filter(policy::isCertifier)
            .collect(Collectors.toSet());
    return new CertificationTally(approved, rejected, policy.threshold());
  }

  private static boolean verifies(
      dev.sluice.trust.key.VerificationKey key, byte[] message, byte[] signature) {
    try {
      key.verify(message, signature);
      return true;
    } catch (SignatureVerificationException e) {
      return false;
    }
  }

  public boolean thresholdReached() {
    return rejectedBy.isEmpty() && approvedBy.size() >= threshold;
  }
}
