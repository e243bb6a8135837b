package dev.sluice.trust.tlog;

/**
 * A well-formed signed note is not acceptable: a signature from a known key is invalid, a key is
 * ambiguous, or no known key signed it. The note text must then be ignored.
 */
public final class NoteVerificationException extends TlogException {
  private static final long serialVersionUID = 1L;

  private final String keyName;

  /**
   * @param keyName the key whose signature failed, or {@code null} when no single key is to blame
   */
  public NoteVerificationException(String keyName, String reason) {
    super(keyName == null ? reason : reason + " (key " + keyName + ")");
    this.keyName = keyName;
  }

  /** The key whose signature failed, or {@code null} when no known key signed the note at all. */
  public String keyName() {
    return keyName;
  }
}
