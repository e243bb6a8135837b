package dev.sluice.trust.tlog;

import static dev.sluice.trust.tlog.Rfc6962Vectors.EMPTY_ROOT;
import static dev.sluice.trust.tlog.Rfc6962Vectors.INCLUSION;
import static dev.sluice.trust.tlog.Rfc6962Vectors.LEAVES;
import static dev.sluice.trust.tlog.Rfc6962Vectors.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.tlog.Rfc6962Vectors.InclusionVector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InclusionProofsTest {
  private static final Hash SOME_HASH =
      Hash.fromHex("abacaba000000000000000000000000000000000000000000060061e00123456");

  @Test
  void generatedProofsEqualThePublishedVectors() {
    InMemoryHashReader tree = Rfc6962Vectors.tree(8);
    for (InclusionVector v : INCLUSION) {
      assertThat(InclusionProofs.generate(v.leafIndex(), v.treeSize(), tree))
          .as("leaf %d of %d", v.leafIndex(), v.treeSize())
          .isEqualTo(v.proof());
    }
  }

  @Test
  void publishedProofsVerify() {
    for (InclusionVector v : INCLUSION) {
      Hash leaf = MerkleHash.leaf(LEAVES.get((int) v.leafIndex()));
      assertThatCode(
              () ->
                  InclusionProofs.verify(
                      v.leafIndex(), v.treeSize(), leaf, v.proof(), root(v.treeSize())))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void everyCorruptionOfAPublishedProofIsRejected() {
    for (InclusionVector v : INCLUSION) {
      Hash leaf = MerkleHash.leaf(LEAVES.get((int) v.leafIndex()));
      for (Probe p : corruptions(v, leaf, root(v.treeSize()))) {
        assertThatThrownBy(() -> p.verify())
            .as("%s for leaf %d of %d", p.description, v.leafIndex(), v.treeSize())
            .isInstanceOf(InclusionProofException.class);
      }
    }
  }

  @Test
  void indexOutsideTheTreeIsRejectedWithItsCoordinates() {
    Hash leaf = MerkleHash.leaf(LEAVES.get(0));

    assertThatThrownBy(() -> InclusionProofs.verify(0, 0, leaf, List.of(), EMPTY_ROOT))
        .isInstanceOf(InclusionProofException.class);
    assertThatThrownBy(() -> InclusionProofs.verify(1, 1, leaf, List.of(), leaf))
        .isInstanceOfSatisfying(
            InclusionProofException.class,
            e -> {
              assertThat(e.leafIndex()).isEqualTo(1);
              assertThat(e.treeSize()).isEqualTo(1);
            });
    assertThatThrownBy(() -> InclusionProofs.verify(-1, 1, leaf, List.of(), leaf))
        .isInstanceOf(InclusionProofException.class);
  }

  @Test
  void singleLeafTreeNeedsAnEmptyProofAndMatchingRoot() {
    Hash leaf = MerkleHash.leaf("data".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThatCode(() -> InclusionProofs.verify(0, 1, leaf, List.of(), leaf))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> InclusionProofs.verify(0, 1, leaf, List.of(), SOME_HASH))
        .isInstanceOf(InclusionProofException.class);
    assertThatThrownBy(() -> InclusionProofs.verify(0, 1, leaf, List.of(leaf), leaf))
        .isInstanceOf(InclusionProofException.class);
  }

  @Test
  void generatingOutsideTheTreeIsAProgrammingError() {
    InMemoryHashReader tree = Rfc6962Vectors.tree(8);

    assertThatThrownBy(() -> InclusionProofs.generate(8, 8, tree))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InclusionProofs.generate(0, 0, tree))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private record Probe(
      String description, long index, long size, Hash leaf, List<Hash> proof, Hash root) {
    void verify() {
      InclusionProofs.verify(index, size, leaf, proof, root);
    }
  }

  // The corruptions exercised by transparency-dev/merkle's verifier tests.
  private static List<Probe> corruptions(InclusionVector v, Hash leaf, Hash root) {
    long i = v.leafIndex();
    long n = v.treeSize();
    List<Hash> proof = v.proof();
    List<Probe> probes = new ArrayList<>();
    probes.add(new Probe("index - 1", i - 1, n, leaf, proof, root));
    probes.add(new Probe("index + 1", i + 1, n, leaf, proof, root));
    probes.add(new Probe("index ^ 2", i ^ 2, n, leaf, proof, root));
    probes.add(new Probe("size * 2", i, n * 2, leaf, proof, root));
    probes.add(new Probe("size / 2", i, n / 2, leaf, proof, root));
    probes.add(new Probe("wrong leaf", i, n, SOME_HASH, proof, root));
    probes.add(new Probe("empty root", i, n, leaf, proof, EMPTY_ROOT));
    probes.add(new Probe("some root", i, n, leaf, proof, SOME_HASH));
    probes.add(new Probe("trailing root", i, n, leaf, append(proof, root), root));
    probes.add(new Probe("preceding root", i, n, leaf, prepend(root, proof), root));
    for (int k = 0; k < proof.size(); k++) {
      probes.add(new Probe("flipped bit in proof[" + k + "]", i, n, leaf, flip(proof, k), root));
    }
    if (!proof.isEmpty()) {
      probes.add(new Probe("removed last", i, n, leaf, proof.subList(0, proof.size() - 1), root));
    }
    if (proof.size() > 1) {
      List<Hash> inserted = new ArrayList<>(proof);
      inserted.add(1, SOME_HASH);
      probes.add(new Probe("inserted component", i, n, leaf, inserted, root));
    }
    return probes;
  }

  static List<Hash> append(List<Hash> proof, Hash extra) {
    List<Hash> out = new ArrayList<>(proof);
    out.add(extra);
    return out;
  }

  static List<Hash> prepend(Hash extra, List<Hash> proof) {
    List<Hash> out = new ArrayList<>();
    out.add(extra);
    out.addAll(proof);
    return out;
  }

  static List<Hash> flip(List<Hash> proof, int k) {
    List<Hash> out = new ArrayList<>(proof);
    byte[] bytes = out.get(k).value();
    bytes[0] ^= 8;
    out.set(k, new Hash(bytes));
    return out;
  }
}
