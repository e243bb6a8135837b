package dev.sluice.trust.tuf;

import dev.sluice.trust.tuf.model.TufException;

/**
 * Metadata is not signed by a threshold of its role's keys (TUF 1.0 §5.3.4, §5.4.2, §5.5.3,
 * §5.6.3): an arbitrary-software attack, or a misconfigured signer.
 */
public final class SignatureThresholdException extends TufException {
  private static final long serialVersionUID = 1L;

  private final String role;
  private final int required;
  private final int found;

  public SignatureThresholdException(String role, int required, int found) {
    super(role + " metadata has " + found + " valid signature(s), " + required + " required");
    this.role = role;
    this.required = required;
    this.found = found;
  }

  public String role() {
    return role;
  }

  public int required() {
    return required;
  }

  /** Valid signatures by distinct keys of the role. */
  public int found() {
    return found;
  }
}
