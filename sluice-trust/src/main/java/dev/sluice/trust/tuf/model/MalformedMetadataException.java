package dev.sluice.trust.tuf.model;

/**
 * Bytes are not valid TUF metadata of the expected type: malformed or non-canonical JSON (duplicate
 * keys, floats), a wrong {@code _type}, a bad {@code expires}, an unsupported spec version, or a
 * value the model refuses.
 */
public final class MalformedMetadataException extends TufException {
  private static final long serialVersionUID = 1L;

  private final String what;
  private final String reason;

  public MalformedMetadataException(String what, String reason, Throwable cause) {
    super("malformed " + what + " metadata: " + reason, cause);
    this.what = what;
    this.reason = reason;
  }

  /** The expected metadata type, for example {@code "timestamp"}. */
  public String what() {
    return what;
  }

  public String reason() {
    return reason;
  }
}
