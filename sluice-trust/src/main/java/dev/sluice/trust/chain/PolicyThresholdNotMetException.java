package dev.sluice.trust.chain;

/**
 * The valid sign-offs come from fewer distinct certifiers of the policy than its threshold.
 * Sign-offs by keys the policy does not list for their certifier do not count.
 */
public final class PolicyThresholdNotMetException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  private final int valid;
  private final int threshold;

  public PolicyThresholdNotMetException(int valid, int threshold, String message) {
    super(ChainLink.SIGNOFFS, message);
    this.valid = valid;
    this.threshold = threshold;
  }

  /** Distinct certifiers whose sign-off verified under the policy. */
  public int valid() {
    return valid;
  }

  /** The policy's threshold. */
  public int threshold() {
    return threshold;
  }
}
