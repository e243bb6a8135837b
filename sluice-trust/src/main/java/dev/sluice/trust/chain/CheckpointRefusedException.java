package dev.sluice.trust.chain;

/**
 * The log's checkpoint is not acceptable: not signed by the log key, another origin, or not
 * provably consistent with the checkpoint this verifier stored.
 */
public final class CheckpointRefusedException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  public CheckpointRefusedException(String message) {
    super(ChainLink.CHECKPOINT, message);
  }

  public CheckpointRefusedException(String message, Throwable cause) {
    super(ChainLink.CHECKPOINT, message, cause);
  }
}
