package dev.sluice.trust.tuf;

import dev.sluice.trust.tuf.model.TufException;

/**
 * A role's version went backwards relative to what the client already trusts (TUF 1.0 §5.4.3,
 * §5.5.5): a rollback attack, replaying older validly signed metadata.
 */
public final class RollbackException extends TufException {
  private static final long serialVersionUID = 1L;

  private final String role;
  private final long trustedVersion;
  private final long newVersion;

  public RollbackException(String role, long trustedVersion, long newVersion) {
    super(role + " version rolled back from " + trustedVersion + " to " + newVersion);
    this.role = role;
    this.trustedVersion = trustedVersion;
    this.newVersion = newVersion;
  }

  public String role() {
    return role;
  }

  public long trustedVersion() {
    return trustedVersion;
  }

  public long newVersion() {
    return newVersion;
  }
}
