package dev.sluice.trust.tlog;

/**
 * Supplies hashes of perfect subtrees, the only hashes a log needs to keep. The node at {@code
 * (level, index)} is the root of the perfect subtree of {@code 2^level} leaves starting at leaf
 * {@code index * 2^level}; level 0 holds the leaf hashes.
 *
 * <p>This matches the stored hashes of C2SP tlog-tiles: a tile at tile level {@code L} holds the
 * nodes at tree level {@code 8L}, and the seven levels in between are rehashed from it (see {@link
 * TileHashReader}). Proof generation asks only for nodes whose subtree is entirely inside the tree
 * it is proving, so a reader for a tree of size {@code n} never needs a node beyond leaf {@code n}.
 *
 * <p>A reader is trusted by the party generating proofs; a verifier never needs one.
 */
@FunctionalInterface
public interface HashReader {
  /**
   * @throws IllegalArgumentException if the reader does not hold that node
   */
  Hash hash(int level, long index);
}
