package dev.sluice.trust.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 §2.1.3 Merkle audit paths. A proof that {@link #verify}s shows that the leaf hash sits
 * at the given index of the tree whose root is given; nothing else is trusted.
 */
public final class InclusionProofs {
  private InclusionProofs() {}

  /**
   * PATH(m, D[n]) from §2.1.3.1, ordered from the leaf's sibling up to the root's child.
   *
   * @throws IllegalArgumentException unless {@code 0 <= leafIndex < treeSize}
   */
  public static List<Hash> generate(long leafIndex, long treeSize, HashReader reader) {
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new IllegalArgumentException(
          "leaf index " + leafIndex + " is not in a tree of size " + treeSize);
    }
    List<Hash> proof = new ArrayList<>();
    path(leafIndex, 0, treeSize, reader, proof);
    return List.copyOf(proof);
  }

  // PATH(m, D[start:end]) = PATH(m, left) : MTH(right), or PATH(m - k, right) : MTH(left).
  private static void path(long m, long start, long end, HashReader reader, List<Hash> out) {
    long n = end - start;
    if (n == 1) {
      return;
    }
    long k = MerkleTree.largestPowerOfTwoBelow(n);
    if (m < k) {
      path(m, start, start + k, reader, out);
      out.add(MerkleTree.subtreeHash(start + k, end, reader));
    } else {
      path(m - k, start + k, end, reader, out);
      out.add(MerkleTree.subtreeHash(start, start + k, reader));
    }
  }

  /**
   * Verifies per RFC 9162 §2.1.3.2.
   *
   * @throws InclusionProofException if the index is outside the tree, the proof has the wrong
   *     length, or it does not lead from the leaf hash to the root
   */
  public static void verify(
      long leafIndex, long treeSize, Hash leafHash, List<Hash> proof, Hash root) {
    // 1. leaf_index must be inside the tree.
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new InclusionProofException(leafIndex, treeSize, "leaf index is not in the tree");
    }
    int expected = expectedLength(leafIndex, treeSize);
    if (proof.size() != expected) {
      throw new InclusionProofException(
          leafIndex, treeSize, "proof has " + proof.size() + " hashes, expected " + expected);
    }
    // 2.-3.
    long fn = leafIndex;
    long sn = treeSize - 1;
    Hash r = leafHash;
    // 4.
    for (Hash p : proof) {
      if (sn == 0) { // 4.a
        throw new InclusionProofException(leafIndex, treeSize, "proof is too long");
      }
      if ((fn & 1) == 1 || fn == sn) { // 4.b
        r = MerkleHash.node(p, r);
        // 4.b.ii: on the right edge, skip the levels where this node has no sibling.
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = MerkleHash.node(r, p);
      }
      fn >>>= 1; // 4.c
      sn >>>= 1;
    }
    // 5.
    if (sn != 0) {
      throw new InclusionProofException(leafIndex, treeSize, "proof is too short");
    }
    if (!r.equals(root)) {
      throw new InclusionProofException(leafIndex, treeSize, "proof does not lead to the root");
    }
  }

  // Levels where the paths to leafIndex and to the last leaf differ need a sibling each; above
  // them, only levels where the path turns right do.
  private static int expectedLength(long leafIndex, long treeSize) {
    long last = treeSize - 1;
    int inner = 64 - Long.numberOfLeadingZeros(leafIndex ^ last);
    return inner + Long.bitCount(leafIndex >>> inner);
  }
}
