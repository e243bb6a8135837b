package dev.sluice.trust.chain;

/**
 * A sign-off in the record names a key the policy lists for its certifier, but its signature over
 * the statement does not verify (a forged sign-off).
 */
public final class InvalidSignOffException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  public InvalidSignOffException(String message) {
    super(ChainLink.SIGNOFFS, message);
  }

  public InvalidSignOffException(String message, Throwable cause) {
    super(ChainLink.SIGNOFFS, message, cause);
  }
}
