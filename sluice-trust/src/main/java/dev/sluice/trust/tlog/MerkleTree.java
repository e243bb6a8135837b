package dev.sluice.trust.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 §2.1.1 Merkle Tree Hash (MTH) over any number of leaves, not only powers of two. Two
 * trees with the same root hold the same leaves in the same order.
 */
public final class MerkleTree {
  private MerkleTree() {}

  /** MTH over the given leaf hashes (already hashed with {@link MerkleHash#leaf}). */
  public static Hash root(List<Hash> leafHashes) {
    if (leafHashes.isEmpty()) {
      return MerkleHash.emptyRoot();
    }
    // Pairing left to right and carrying an odd last node up is exactly the RFC's split at the
    // largest power of two smaller than n.
    List<Hash> row = leafHashes;
    while (row.size() > 1) {
      List<Hash> next = new ArrayList<>((row.size() + 1) / 2);
      for (int i = 0; i + 1 < row.size(); i += 2) {
        next.add(MerkleHash.node(row.get(i), row.get(i + 1)));
      }
      if (row.size() % 2 != 0) {
        next.add(row.get(row.size() - 1));
      }
      row = next;
    }
    return row.get(0);
  }

  /** MTH of the first {@code treeSize} leaves, from stored perfect-subtree hashes. */
  public static Hash root(long treeSize, HashReader reader) {
    if (treeSize < 0) {
      throw new IllegalArgumentException("tree size must not be negative: " + treeSize);
    }
    return treeSize == 0 ? MerkleHash.emptyRoot() : subtreeHash(0, treeSize, reader);
  }

  /**
   * MTH(D[start:end]) for a subtree as RFC 9162 splits it: {@code start} is a multiple of the
   * largest power of two not exceeding {@code end - start}, so the left part is always perfect.
   */
  static Hash subtreeHash(long start, long end, HashReader reader) {
    long n = end - start;
    if (Long.bitCount(n) == 1 && start % n == 0) {
      int level = Long.numberOfTrailingZeros(n);
      return reader.hash(level, start >>> level);
    }
    long k = largestPowerOfTwoBelow(n);
    return MerkleHash.node(
        subtreeHash(start, start + k, reader), subtreeHash(start + k, end, reader));
  }

  /** The largest power of two strictly smaller than {@code n}, for {@code n >= 2}. */
  static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }
}
