package dev.sluice.trust.tlog;

/**
 * A signed note, verifier key or signer key does not follow the C2SP signed-note syntax. Nothing in
 * a malformed note is trusted.
 */
public final class MalformedNoteException extends TlogException {
  private static final long serialVersionUID = 1L;

  public MalformedNoteException(String reason) {
    super("malformed note: " + reason);
  }
}
