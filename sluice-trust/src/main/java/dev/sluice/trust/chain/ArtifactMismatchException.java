package dev.sluice.trust.chain;

/**
 * The bytes being verified are not the target: their digest or size differs (a tampered or
 * substituted artifact).
 */
public final class ArtifactMismatchException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  public ArtifactMismatchException(String message) {
    super(ChainLink.ARTIFACT, message);
  }

  public ArtifactMismatchException(String message, Throwable cause) {
    super(ChainLink.ARTIFACT, message, cause);
  }
}
