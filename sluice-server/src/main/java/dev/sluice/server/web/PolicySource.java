package dev.sluice.server.web;

import dev.sluice.core.product.Certifier;
import dev.sluice.core.release.Release;
import java.util.List;
import java.util.Objects;

/**
 * The certification policy a release was checked under, as the portal shows it: who may certify,
 * how many of them must, and with which keys: the policy record the release's record names in the
 * transparency log ({@link LoggedPolicySource}).
 */
public interface PolicySource {

  Policy policyOf(Release release);

  /**
   * A certification policy.
   *
   * @param source where it comes from, in words (e.g. "the product's current certifier set")
   * @param threshold how many distinct certifiers must approve
   * @param certifiers who may certify, with their keys
   */
  record Policy(String source, int threshold, List<Certifier> certifiers) {
    public Policy {
      Objects.requireNonNull(source, "source");
      certifiers = List.copyOf(certifiers);
      if (threshold < 1) {
        throw new IllegalArgumentException("a policy needs a threshold of at least 1");
      }
    }
  }
}
