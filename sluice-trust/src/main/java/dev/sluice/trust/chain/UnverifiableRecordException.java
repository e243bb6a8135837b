package dev.sluice.trust.chain;

/**
 * A release record of format {@code sluice.release-record/v1}: certified before certification
 * policies were logged, so its sign-offs cannot be checked against a logged policy.
 */
public final class UnverifiableRecordException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  public UnverifiableRecordException(String message) {
    super(ChainLink.RECORD, message);
  }

  public UnverifiableRecordException(String message, Throwable cause) {
    super(ChainLink.RECORD, message, cause);
  }
}
