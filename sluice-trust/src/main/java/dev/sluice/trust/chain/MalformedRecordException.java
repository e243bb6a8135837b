package dev.sluice.trust.chain;

/**
 * A log entry that must be a record of docs/records.md is not one (bad JSON, missing or malformed
 * field).
 */
public final class MalformedRecordException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  public MalformedRecordException(String message) {
    super(ChainLink.RECORD, message);
  }

  public MalformedRecordException(String message, Throwable cause) {
    super(ChainLink.RECORD, message, cause);
  }
}
