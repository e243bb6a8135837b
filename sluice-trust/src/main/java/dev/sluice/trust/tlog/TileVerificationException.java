package dev.sluice.trust.tlog;

/**
 * Served tiles or entry bundles contradict each other or the checkpoint root: the log served a tree
 * that is not the one it signed.
 */
public final class TileVerificationException extends TlogException {
  private static final long serialVersionUID = 1L;

  private final String path;

  public TileVerificationException(String path, String reason) {
    super(path + ": " + reason);
    this.path = path;
  }

  /** The tile path at which the contradiction was found. */
  public String path() {
    return path;
  }
}
