package dev.sluice.trust.chain;

/**
 * The target's log entry is not in the log: its index is beyond the signed tree, the entry does not
 * hash to the target's leaf hash, or the inclusion proof does not lead to the checkpoint's root.
 */
public final class NotInLogException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  public NotInLogException(String message) {
    super(ChainLink.INCLUSION, message);
  }

  public NotInLogException(String message, Throwable cause) {
    super(ChainLink.INCLUSION, message, cause);
  }
}
