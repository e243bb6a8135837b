package dev.sluice.trust.chain;

/**
 * The log record does not describe the target: another type, product, version or release, or it
 * does not list the artifact (for example an artifact of another product).
 */
public final class RecordMismatchException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  public RecordMismatchException(String message) {
    super(ChainLink.RECORD, message);
  }

  public RecordMismatchException(String message, Throwable cause) {
    super(ChainLink.RECORD, message, cause);
  }
}
