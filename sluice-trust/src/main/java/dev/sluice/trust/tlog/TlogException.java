package dev.sluice.trust.tlog;

/**
 * Root of every failure raised by the transparency-log library: a proof, note, checkpoint or tile
 * that does not verify or does not parse. Unchecked, so callers handle it at one boundary.
 */
public abstract class TlogException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected TlogException(String message) {
    super(message);
  }

  protected TlogException(String message, Throwable cause) {
    super(message, cause);
  }
}
