package dev.sluice.trust.chain;

/**
 * The release statement rebuilt from the record does not have the record's {@code
 * statement_sha256}, or the record's artifact is not the target's digest and size.
 */
public final class StatementMismatchException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  public StatementMismatchException(String message) {
    super(ChainLink.STATEMENT, message);
  }

  public StatementMismatchException(String message, Throwable cause) {
    super(ChainLink.STATEMENT, message, cause);
  }
}
