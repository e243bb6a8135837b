package dev.sluice.trust.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 §2.1.4 Merkle consistency proofs. A proof that {@link #verify}s shows that the newer
 * tree contains the older tree as a prefix: the log only appended.
 */
public final class ConsistencyProofs {
  private ConsistencyProofs() {}

  /**
   * PROOF(m, D[n]) from §2.1.4.1; empty when {@code oldSize} is 0 or equals {@code newSize}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= oldSize <= newSize}
   */
  public static List<Hash> generate(long oldSize, long newSize, HashReader reader) {
    if (oldSize < 0 || oldSize > newSize) {
      throw new IllegalArgumentException(
          "no consistency proof from size " + oldSize + " to size " + newSize);
    }
    if (oldSize == 0 || oldSize == newSize) {
      return List.of();
    }
    List<Hash> proof = new ArrayList<>();
    subproof(oldSize, 0, newSize, true, reader, proof);
    return List.copyOf(proof);
  }

  // SUBPROOF(m, D[start:end], b); b says whether D[start:start+m] is the old tree's own root,
  // which the verifier already knows and so is left out.
  private static void subproof(
      long m, long start, long end, boolean b, HashReader reader, List<Hash> out) {
    long n = end - start;
    if (m == n) {
      if (!b) {
        out.add(MerkleTree.subtreeHash(start, end, reader));
      }
      return;
    }
    long k = MerkleTree.largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(m, start, start + k, b, reader, out);
      out.add(MerkleTree.subtreeHash(start + k, end, reader));
    } else {
      subproof(m - k, start + k, end, false, reader, out);
      out.add(MerkleTree.subtreeHash(start, start + k, reader));
    }
  }

  /**
   * Verifies per RFC 9162 §2.1.4.2, extended to the trivial cases: equal sizes need an empty proof
   * and equal roots; an old size of 0 needs an empty proof and the empty-tree root.
   *
   * @throws ConsistencyProofException if the sizes go backwards, the proof has the wrong shape, or
   *     it does not reproduce both roots
   */
  public static void verify(
      long oldSize, long newSize, Hash oldRoot, Hash newRoot, List<Hash> proof) {
    if (oldSize < 0 || oldSize > newSize) {
      throw new ConsistencyProofException(oldSize, newSize, "sizes are not 0 <= old <= new");
    }
    if (oldSize == 0 || oldSize == newSize) {
      verifyTrivial(oldSize, newSize, oldRoot, newRoot, proof);
      return;
    }
    // 1.
    if (proof.isEmpty()) {
      throw new ConsistencyProofException(oldSize, newSize, "proof is empty");
    }
    int expected = expectedLength(oldSize, newSize);
    if (proof.size() != expected) {
      throw new ConsistencyProofException(
          oldSize, newSize, "proof has " + proof.size() + " hashes, expected " + expected);
    }
    // 2. If the old tree is perfect, its root is the first node of the path.
    List<Hash> path = proof;
    if (Long.bitCount(oldSize) == 1) {
      path = new ArrayList<>(proof.size() + 1);
      path.add(oldRoot);
      path.addAll(proof);
    }
    // 3.-4.
    long fn = oldSize - 1;
    long sn = newSize - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    // 5.
    Hash fr = path.get(0);
    Hash sr = path.get(0);
    // 6.
    for (Hash c : path.subList(1, path.size())) {
      if (sn == 0) { // 6.a
        throw new ConsistencyProofException(oldSize, newSize, "proof is too long");
      }
      if ((fn & 1) == 1 || fn == sn) { // 6.b
        fr = MerkleHash.node(c, fr);
        sr = MerkleHash.node(c, sr);
        // 6.b.ii
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = MerkleHash.node(sr, c);
      }
      fn >>>= 1; // 6.c
      sn >>>= 1;
    }
    // 7.
    if (sn != 0) {
      throw new ConsistencyProofException(oldSize, newSize, "proof is too short");
    }
    if (!fr.equals(oldRoot)) {
      throw new ConsistencyProofException(oldSize, newSize, "proof does not lead to the old root");
    }
    if (!sr.equals(newRoot)) {
      throw new ConsistencyProofException(oldSize, newSize, "proof does not lead to the new root");
    }
  }

  private static void verifyTrivial(
      long oldSize, long newSize, Hash oldRoot, Hash newRoot, List<Hash> proof) {
    if (!proof.isEmpty()) {
      throw new ConsistencyProofException(oldSize, newSize, "proof must be empty");
    }
    if (oldSize == 0 && !oldRoot.equals(MerkleHash.emptyRoot())) {
      throw new ConsistencyProofException(oldSize, newSize, "old root is not the empty tree");
    }
    if (oldSize == newSize && !oldRoot.equals(newRoot)) {
      throw new ConsistencyProofException(oldSize, newSize, "roots of equal sizes differ");
    }
  }

  // Below the level where the two right edges meet, one hash per level where the old path turns;
  // above it, one per level where the new tree's last node has a left sibling. Derived from
  // SUBPROOF; the old root itself is omitted when the old tree is perfect.
  private static int expectedLength(long oldSize, long newSize) {
    int trailing = Long.numberOfTrailingZeros(oldSize);
    long fn = (oldSize - 1) >>> trailing;
    long sn = (newSize - 1) >>> trailing;
    int inner = 64 - Long.numberOfLeadingZeros(fn ^ sn);
    int border = Long.bitCount(fn >>> inner);
    int length = inner + border;
    return fn == 0 ? length : length + 1;
  }
}
