package dev.sluice.trust.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

  @Test
  void emptyTreeRootIsSha256OfNothing() {
    assertThat(MerkleHash.emptyRoot()).isEqualTo(Rfc6962Vectors.EMPTY_ROOT);
    assertThat(MerkleTree.root(List.of())).isEqualTo(Rfc6962Vectors.EMPTY_ROOT);
    assertThat(new InMemoryHashReader().root()).isEqualTo(Rfc6962Vectors.EMPTY_ROOT);
  }

  @Test
  void leafHashOfEmptyEntryIsTheOneLeafRoot() {
    assertThat(MerkleHash.leaf(new byte[0])).isEqualTo(Rfc6962Vectors.ROOTS.get(0));
  }

  @Test
  void leafAndNodeHashesAreDomainSeparated() {
    Hash a = MerkleHash.leaf("a".getBytes(StandardCharsets.UTF_8));
    Hash b = MerkleHash.leaf("b".getBytes(StandardCharsets.UTF_8));
    byte[] concatenated = new byte[64];
    System.arraycopy(a.value(), 0, concatenated, 0, 32);
    System.arraycopy(b.value(), 0, concatenated, 32, 32);

    assertThat(MerkleHash.node(a, b)).isNotEqualTo(MerkleHash.leaf(concatenated));
  }

  @Test
  void rootsOfEveryPrefixOfTheReferenceTreeMatchPublishedValues() {
    for (int n = 1; n <= 8; n++) {
      assertThat(MerkleTree.root(Rfc6962Vectors.leafHashes(n)))
          .as("size %d", n)
          .isEqualTo(Rfc6962Vectors.ROOTS.get(n - 1));
    }
  }

  @Test
  void rootsFromStoredSubtreeHashesMatchPublishedValues() {
    InMemoryHashReader tree = new InMemoryHashReader();
    for (int n = 1; n <= 8; n++) {
      tree.appendEntry(Rfc6962Vectors.LEAVES.get(n - 1));
      assertThat(tree.root()).as("size %d", n).isEqualTo(Rfc6962Vectors.ROOTS.get(n - 1));
    }
    InMemoryHashReader full = Rfc6962Vectors.tree(8);
    for (int n = 0; n <= 8; n++) {
      assertThat(MerkleTree.root(n, full)).isEqualTo(Rfc6962Vectors.root(n));
    }
  }

  @Test
  void storedRootMatchesListRootForUnevenSizes() {
    List<Hash> leaves = new ArrayList<>();
    InMemoryHashReader tree = new InMemoryHashReader();
    for (int i = 0; i < 100; i++) {
      Hash leaf = MerkleHash.leaf(new byte[] {(byte) i});
      leaves.add(leaf);
      tree.append(leaf);
      assertThat(tree.root()).isEqualTo(MerkleTree.root(leaves));
    }
  }

  @Test
  void inMemoryReaderRefusesNodesItDoesNotHold() {
    InMemoryHashReader tree = Rfc6962Vectors.tree(5);

    assertThatThrownBy(() -> tree.hash(2, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.hash(0, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MerkleTree.root(-1, tree))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hashConvertsBetweenEncodingsAndCopiesItsBytes() {
    Hash root = Rfc6962Vectors.ROOTS.get(7);
    byte[] bytes = root.value();
    bytes[0] ^= 1;

    assertThat(root.value()[0]).isNotEqualTo(bytes[0]);
    assertThat(Hash.fromBase64(root.base64())).isEqualTo(root);
    assertThat(Hash.of(root.toSha256())).isEqualTo(root);
    assertThat(root.toString()).isEqualTo(root.hex());
    assertThatThrownBy(() -> new Hash(new byte[31])).isInstanceOf(IllegalArgumentException.class);
  }
}
