package dev.sluice.trust.tlog;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class MerkleProofProperties {
  private static final int MAX_SIZE = 300;

  /** One tree; any prefix of it is a tree of that size with the same stored subtree hashes. */
  private static final InMemoryHashReader TREE = new InMemoryHashReader();

  static {
    for (int i = 0; i < MAX_SIZE; i++) {
      TREE.appendEntry(new byte[] {(byte) i, (byte) (i >>> 8)});
    }
  }

  @Property(tries = 150)
  void everyInclusionProofVerifies(@ForAll @IntRange(min = 1, max = MAX_SIZE) int size) {
    Hash root = MerkleTree.root(size, TREE);
    for (long leaf = 0; leaf < size; leaf++) {
      List<Hash> proof = InclusionProofs.generate(leaf, size, TREE);
      long index = leaf;
      assertThatCode(() -> InclusionProofs.verify(index, size, TREE.hash(0, index), proof, root))
          .doesNotThrowAnyException();
    }
  }

  @Property(tries = 300)
  void inclusionProofWithAFlippedBitFails(
      @ForAll @IntRange(min = 2, max = MAX_SIZE) int size,
      @ForAll @IntRange(min = 0, max = MAX_SIZE - 1) int leafSeed,
      @ForAll @IntRange(min = 0, max = 63) int elementSeed,
      @ForAll @IntRange(min = 0, max = 255) int bit) {
    long leaf = leafSeed % size;
    List<Hash> proof = InclusionProofs.generate(leaf, size, TREE);
    List<Hash> tampered = flip(proof, elementSeed % proof.size(), bit);

    assertThatThrownBy(
            () ->
                InclusionProofs.verify(
                    leaf, size, TREE.hash(0, leaf), tampered, MerkleTree.root(size, TREE)))
        .isInstanceOf(InclusionProofException.class);
  }

  @Property(tries = 300)
  void inclusionProofForAnotherIndexFails(
      @ForAll @IntRange(min = 2, max = MAX_SIZE) int size,
      @ForAll @IntRange(min = 0, max = MAX_SIZE - 1) int leafSeed,
      @ForAll @IntRange(min = 1, max = MAX_SIZE - 1) int shift) {
    long leaf = leafSeed % size;
    long other = (leaf + shift) % size;
    if (other == leaf) {
      other = (leaf + 1) % size;
    }
    long wrong = other;
    List<Hash> proof = InclusionProofs.generate(leaf, size, TREE);

    assertThatThrownBy(
            () ->
                InclusionProofs.verify(
                    wrong, size, TREE.hash(0, leaf), proof, MerkleTree.root(size, TREE)))
        .isInstanceOf(InclusionProofException.class);
  }

  @Property(tries = 400)
  void everyConsistencyProofVerifiesAndATamperedOneFails(
      @ForAll @IntRange(min = 0, max = MAX_SIZE) int oldSeed,
      @ForAll @IntRange(min = 1, max = MAX_SIZE) int newSize,
      @ForAll @IntRange(min = 0, max = 63) int elementSeed,
      @ForAll @IntRange(min = 0, max = 255) int bit) {
    int oldSize = oldSeed % (newSize + 1);
    Hash oldRoot = MerkleTree.root(oldSize, TREE);
    Hash newRoot = MerkleTree.root(newSize, TREE);
    List<Hash> proof = ConsistencyProofs.generate(oldSize, newSize, TREE);

    assertThatCode(() -> ConsistencyProofs.verify(oldSize, newSize, oldRoot, newRoot, proof))
        .doesNotThrowAnyException();
    if (!proof.isEmpty()) {
      List<Hash> tampered = flip(proof, elementSeed % proof.size(), bit);
      assertThatThrownBy(
              () -> ConsistencyProofs.verify(oldSize, newSize, oldRoot, newRoot, tampered))
          .isInstanceOf(ConsistencyProofException.class);
    }
    if (oldSize > 0 && oldSize < newSize) {
      Hash otherOldRoot = MerkleTree.root(oldSize - 1, TREE);
      assertThatThrownBy(
              () -> ConsistencyProofs.verify(oldSize, newSize, otherOldRoot, newRoot, proof))
          .isInstanceOf(ConsistencyProofException.class);
    }
  }

  @Property(tries = 100)
  void everyConsistencyProofFromAllOlderSizesVerifies(
      @ForAll @IntRange(min = 1, max = MAX_SIZE) int newSize) {
    Hash newRoot = MerkleTree.root(newSize, TREE);
    for (int oldSize = 0; oldSize <= newSize; oldSize++) {
      int m = oldSize;
      List<Hash> proof = ConsistencyProofs.generate(m, newSize, TREE);
      assertThatCode(
              () -> ConsistencyProofs.verify(m, newSize, MerkleTree.root(m, TREE), newRoot, proof))
          .doesNotThrowAnyException();
    }
  }

  private static List<Hash> flip(List<Hash> proof, int element, int bit) {
    List<Hash> out = new java.util.ArrayList<>(proof);
    byte[] bytes = out.get(element).value();
    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
    out.set(element, new Hash(bytes));
    return out;
  }
}
