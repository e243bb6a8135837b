package dev.sluice.trust.chain;

/**
 * A policy change is not endorsed as docs/records.md requires (threshold of the previous
 * certifiers, or the certifier's own key for a key change), or the statement changed more than the
 * declared change.
 */
public final class UnendorsedPolicyChangeException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  public UnendorsedPolicyChangeException(String message) {
    super(ChainLink.POLICY, message);
  }

  public UnendorsedPolicyChangeException(String message, Throwable cause) {
    super(ChainLink.POLICY, message, cause);
  }
}
