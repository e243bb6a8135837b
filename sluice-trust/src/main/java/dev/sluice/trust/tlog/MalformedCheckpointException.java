package dev.sluice.trust.tlog;

/** A checkpoint body does not follow C2SP tlog-checkpoint exactly; it must not be used. */
public final class MalformedCheckpointException extends TlogException {
  private static final long serialVersionUID = 1L;

  public MalformedCheckpointException(String reason) {
    super("malformed checkpoint: " + reason);
  }
}
