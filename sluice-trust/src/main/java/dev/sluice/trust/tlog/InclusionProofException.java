package dev.sluice.trust.tlog;

/** An inclusion proof does not prove that the leaf is in the tree with the claimed root. */
public final class InclusionProofException extends TlogException {
  private static final long serialVersionUID = 1L;

  private final long leafIndex;
  private final long treeSize;

  public InclusionProofException(long leafIndex, long treeSize, String reason) {
    super("inclusion proof for leaf " + leafIndex + " in tree of size " + treeSize + ": " + reason);
    this.leafIndex = leafIndex;
    this.treeSize = treeSize;
  }

  public long leafIndex() {
    return leafIndex;
  }

  public long treeSize() {
    return treeSize;
  }
}
