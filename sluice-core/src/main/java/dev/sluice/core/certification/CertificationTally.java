package dev.sluice.core.certification;

import dev.sluice.core.product.CertifierId;
import dev.sluice.core.product.Product;
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

  public boolean thresholdReached() {
    return rejectedBy.isEmpty() && approvedBy.size() >= threshold;
  }
}
