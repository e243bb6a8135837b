package dev.sluice.trust.tlog;

/** A consistency proof does not prove that the newer tree is an append-only extension. */
public final class ConsistencyProofException extends TlogException {
  private static final long serialVersionUID = 1L;

  private final long oldSize;
  private final long newSize;

  public ConsistencyProofException(long oldSize, long newSize, String reason) {
    super("consistency proof from size " + oldSize + " to size " + newSize + ": " + reason);
    this.oldSize = oldSize;
    this.newSize = newSize;
  }

  public long oldSize() {
    return oldSize;
  }

  public long newSize() {
    return newSize;
  }
}
