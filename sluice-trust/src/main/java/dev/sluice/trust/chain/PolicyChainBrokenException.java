package dev.sluice.trust.chain;

/**
 * The policy chain does not hold together: a record is not the one named (index or digest), the
 * sequence or product does not follow, a policy is not in the log, or the release names a policy
 * that was no longer in force.
 */
public final class PolicyChainBrokenException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  public PolicyChainBrokenException(String message) {
    super(ChainLink.POLICY, message);
  }

  public PolicyChainBrokenException(String message, Throwable cause) {
    super(ChainLink.POLICY, message, cause);
  }
}
