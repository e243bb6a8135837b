package dev.sluice.trust.chain;

/**
 * Fresh, verified TUF metadata does not list the target (never published, or revoked and removed),
 * or lists it without a log index.
 */
public final class TargetNotFoundException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  public TargetNotFoundException(String message) {
    super(ChainLink.TARGET, message);
  }

  public TargetNotFoundException(String message, Throwable cause) {
    super(ChainLink.TARGET, message, cause);
  }
}
