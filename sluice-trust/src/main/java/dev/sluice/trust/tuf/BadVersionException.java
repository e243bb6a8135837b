package dev.sluice.trust.tuf;

import dev.sluice.trust.tuf.model.TufException;

/**
 * Metadata does not have the version its referrer says it must (TUF 1.0 §5.3.5 root N+1, §5.5.4
 * snapshot per timestamp, §5.6.4 targets per snapshot): a mix-and-match or rollback attack.
 */
public final class BadVersionException extends TufException {
  private static final long serialVersionUID = 1L;

  private final String role;
  private final long expected;
  private final long found;

  public BadVersionException(String role, long expected, long found) {
    super(role + " metadata has version " + found + ", expected " + expected);
    this.role = role;
    this.expected = expected;
    this.found = found;
  }

  public String role() {
    return role;
  }

  public long expected() {
    return expected;
  }

  public long found() {
    return found;
  }
}
