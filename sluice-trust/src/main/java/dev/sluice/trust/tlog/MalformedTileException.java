package dev.sluice.trust.tlog;

/** A tile path, hash tile or entry bundle does not follow C2SP tlog-tiles. */
public final class MalformedTileException extends TlogException {
  private static final long serialVersionUID = 1L;

  public MalformedTileException(String reason) {
    super("malformed tile: " + reason);
  }
}
