package dev.sluice.trust.tlog;

import static dev.sluice.trust.tlog.InclusionProofsTest.append;
import static dev.sluice.trust.tlog.InclusionProofsTest.flip;
import static dev.sluice.trust.tlog.InclusionProofsTest.prepend;
import static dev.sluice.trust.tlog.Rfc6962Vectors.CONSISTENCY;
import static dev.sluice.trust.tlog.Rfc6962Vectors.EMPTY_ROOT;
import static dev.sluice.trust.tlog.Rfc6962Vectors.ROOTS;
import static dev.sluice.trust.tlog.Rfc6962Vectors.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.tlog.Rfc6962Vectors.ConsistencyVector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsistencyProofsTest {
  private static final Hash SOME_HASH =
      Hash.fromHex("abacaba000000000000000000000000000000000000000000060061e00123456");

  @Test
  void generatedProofsEqualThePublishedVectors() {
    InMemoryHashReader tree = Rfc6962Vectors.tree(8);
    for (ConsistencyVector v : CONSISTENCY) {
      assertThat(ConsistencyProofs.generate(v.oldSize(), v.newSize(), tree))
          .as("%d -> %d", v.oldSize(), v.newSize())
          .isEqualTo(v.proof());
    }
  }

  @Test
  void publishedProofsVerify() {
    for (ConsistencyVector v : CONSISTENCY) {
      assertThatCode(
              () ->
                  ConsistencyProofs.verify(
                      v.oldSize(), v.newSize(), root(v.oldSize()), root(v.newSize()), v.proof()))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void everyCorruptionOfAPublishedProofIsRejected() {
    for (ConsistencyVector v : CONSISTENCY) {
      if (v.proof().isEmpty()) {
        continue;
      }
      for (Probe p : corruptions(v, root(v.oldSize()), root(v.newSize()))) {
        assertThatThrownBy(() -> p.verify())
            .as("%s for %d -> %d", p.description, v.oldSize(), v.newSize())
            .isInstanceOf(ConsistencyProofException.class);
      }
    }
  }

  @Test
  void equalSizesNeedEqualRootsAndAnEmptyProof() {
    Hash r = ROOTS.get(4);

    assertThatCode(() -> ConsistencyProofs.verify(5, 5, r, r, List.of()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> ConsistencyProofs.verify(5, 5, r, ROOTS.get(3), List.of()))
        .isInstanceOf(ConsistencyProofException.class);
    assertThatThrownBy(() -> ConsistencyProofs.verify(5, 5, r, r, List.of(r)))
        .isInstanceOf(ConsistencyProofException.class);
  }

  @Test
  void emptyOldTreeIsConsistentWithAnyTreeGivenTheEmptyRoot() {
    assertThatCode(() -> ConsistencyProofs.verify(0, 8, EMPTY_ROOT, ROOTS.get(7), List.of()))
        .doesNotThrowAnyException();
    assertThatCode(() -> ConsistencyProofs.verify(0, 0, EMPTY_ROOT, EMPTY_ROOT, List.of()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> ConsistencyProofs.verify(0, 8, SOME_HASH, ROOTS.get(7), List.of()))
        .isInstanceOf(ConsistencyProofException.class);
    assertThatThrownBy(
            () -> ConsistencyProofs.verify(0, 8, EMPTY_ROOT, ROOTS.get(7), List.of(EMPTY_ROOT)))
        .isInstanceOf(ConsistencyProofException.class);
    assertThat(ConsistencyProofs.generate(0, 8, Rfc6962Vectors.tree(8))).isEmpty();
  }

  @Test
  void shrinkingTreeIsRejectedWithBothSizes() {
    assertThatThrownBy(() -> ConsistencyProofs.verify(2, 1, ROOTS.get(1), ROOTS.get(0), List.of()))
        .isInstanceOfSatisfying(
            ConsistencyProofException.class,
            e -> {
              assertThat(e.oldSize()).isEqualTo(2);
              assertThat(e.newSize()).isEqualTo(1);
            });
    assertThatThrownBy(() -> ConsistencyProofs.generate(2, 1, Rfc6962Vectors.tree(8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nonTrivialGrowthNeedsAProof() {
    assertThatThrownBy(() -> ConsistencyProofs.verify(1, 2, ROOTS.get(0), ROOTS.get(1), List.of()))
        .isInstanceOf(ConsistencyProofException.class);
  }

  private record Probe(
      String description,
      long oldSize,
      long newSize,
      Hash oldRoot,
      Hash newRoot,
      List<Hash> proof) {
    void verify() {
      ConsistencyProofs.verify(oldSize, newSize, oldRoot, newRoot, proof);
    }
  }

  // The corruptions exercised by transparency-dev/merkle's verifier tests.
  private static List<Probe> corruptions(ConsistencyVector v, Hash r1, Hash r2) {
    long m = v.oldSize();
    long n = v.newSize();
    List<Hash> p = v.proof();
    List<Probe> probes = new ArrayList<>();
    probes.add(new Probe("old - 1", m - 1, n, r1, r2, p));
    probes.add(new Probe("old + 1", m + 1, n, r1, r2, p));
    probes.add(new Probe("old ^ 2", m ^ 2, n, r1, r2, p));
    probes.add(new Probe("new * 2", m, n * 2, r1, r2, p));
    probes.add(new Probe("new / 2", m, n / 2, r1, r2, p));
    probes.add(new Probe("wrong old root", m, n, SOME_HASH, r2, p));
    probes.add(new Probe("wrong new root", m, n, r1, SOME_HASH, p));
    probes.add(new Probe("swapped roots", m, n, r2, r1, p));
    probes.add(new Probe("empty proof", m, n, r1, r2, List.of()));
    probes.add(new Probe("trailing old root", m, n, r1, r2, append(p, r1)));
    probes.add(new Probe("trailing new root", m, n, r1, r2, append(p, r2)));
    probes.add(new Probe("preceding old root", m, n, r1, r2, prepend(r1, p)));
    probes.add(new Probe("preceding new root", m, n, r1, r2, prepend(r2, p)));
    probes.add(new Probe("preceding proof[0]", m, n, r1, r2, prepend(p.get(0), p)));
    probes.add(new Probe("truncated", m, n, r1, r2, p.subList(0, p.size() - 1)));
    for (int k = 0; k < p.size(); k++) {
      probes.add(new Probe("flipped bit in proof[" + k + "]", m, n, r1, r2, flip(p, k)));
    }
    return probes;
  }
}
