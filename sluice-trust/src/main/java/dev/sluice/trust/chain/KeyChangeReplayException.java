package dev.sluice.trust.chain;

/**
 * A certifier key change carries a key-set version that is not above the certifier's version in the
 * previous policy: an old, already used key change replayed.
 */
public final class KeyChangeReplayException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  public KeyChangeReplayException(String message) {
    super(ChainLink.POLICY, message);
  }

  public KeyChangeReplayException(String message, Throwable cause) {
    super(ChainLink.POLICY, message, cause);
  }
}
