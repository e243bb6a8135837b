package dev.sluice.api.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Where a release stands against its product's certification policy.
 *
 * @param approvedBy the certifiers whose approval counts, sorted; empty before the check
 * @param rejectedBy the certifiers who rejected, sorted
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CertificationView(
    int threshold,
    List<String> certifiers,
    long policySequence,
    List<String> approvedBy,
    List<String> rejectedBy) {
  public CertificationView {
    certifiers = Lists.copy(certifiers);
    approvedBy = Lists.copy(approvedBy);
    rejectedBy = Lists.copy(rejectedBy);
  }
}
