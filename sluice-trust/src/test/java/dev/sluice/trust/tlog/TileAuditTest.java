package dev.sluice.trust.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TileAuditTest {

  /** A log's static files, as the server would write them for one tree size. */
  private static Map<String, byte[]> serve(InMemoryHashReader tree, List<byte[]> entries) {
    Map<String, byte[]> files = new HashMap<>();
    for (HashTileId tile : Tiles.hashTiles(tree.size())) {
      files.put(tile.path(), HashTiles.read(tile, tree));
    }
    for (EntryBundleId bundle : Tiles.entryBundles(tree.size())) {
      int from = Math.toIntExact(bundle.index() * Tiles.WIDTH);
      files.put(bundle.path(), EntryBundles.encode(entries.subList(from, from + bundle.width())));
    }
    return files;
  }

  private static InMemoryHashReader log(List<byte[]> entries) {
    InMemoryHashReader tree = new InMemoryHashReader();
    entries.forEach(tree::appendEntry);
    return tree;
  }

  private static TileFetcher fetcher(Map<String, byte[]> files) {
    return path -> {
      byte[] bytes = files.get(path);
      if (bytes == null) {
        throw new IllegalStateException("404 " + path);
      }
      return bytes.clone();
    };
  }

  @Test
  void auditorRecomputesTheRootOfAThreeLevelTreeFromTiles() {
    List<byte[]> entries = TilesTest.entries(70_000);
    InMemoryHashReader tree = log(entries);
    Map<String, byte[]> files = serve(tree, entries);

    TileHashReader verified = TileAudit.verifyHashTiles(70_000, tree.root(), fetcher(files));

    assertThat(files).containsKeys("tile/2/000.p/1", "tile/1/001.p/17", "tile/0/273.p/112");
    assertThat(MerkleTree.root(70_000, verified)).isEqualTo(tree.root());
    for (long leaf : new long[] {0, 255, 256, 65_535, 65_536, 69_999}) {
      List<Hash> proof = InclusionProofs.generate(leaf, 70_000, verified);
      assertThat(proof).isEqualTo(InclusionProofs.generate(leaf, 70_000, tree));
      assertThatCode(
              () -> InclusionProofs.verify(leaf, 70_000, tree.hash(0, leaf), proof, tree.root()))
          .doesNotThrowAnyException();
    }
    assertThat(ConsistencyProofs.generate(65_536, 70_000, verified))
        .isEqualTo(ConsistencyProofs.generate(65_536, 70_000, tree));
  }

  @Test
  void alteredFullTileIsCaughtByItsParentHash() {
    List<byte[]> entries = TilesTest.entries(600);
    InMemoryHashReader tree = log(entries);
    Map<String, byte[]> files = serve(tree, entries);
    files.get("tile/0/001")[100] ^= 1;

    assertThatThrownBy(() -> TileAudit.verifyHashTiles(600, tree.root(), fetcher(files)))
        .isInstanceOfSatisfying(
            TileVerificationException.class, e -> assertThat(e.path()).isEqualTo("tile/0/001"));
  }

  @Test
  void alteredPartialTileChangesTheRoot() {
    List<byte[]> entries = TilesTest.entries(600);
    InMemoryHashReader tree = log(entries);
    Map<String, byte[]> files = serve(tree, entries);
    files.get("tile/0/002.p/88")[0] ^= 1;

    assertThatThrownBy(() -> TileAudit.verifyHashTiles(600, tree.root(), fetcher(files)))
        .isInstanceOf(TileVerificationException.class);
  }

  @Test
  void tileOfTheWrongWidthIsMalformed() {
    List<byte[]> entries = TilesTest.entries(300);
    InMemoryHashReader tree = log(entries);
    Map<String, byte[]> files = serve(tree, entries);
    files.put("tile/0/001.p/44", java.util.Arrays.copyOf(files.get("tile/0/001.p/44"), 43 * 32));

    assertThatThrownBy(() -> TileAudit.verifyHashTiles(300, tree.root(), fetcher(files)))
        .isInstanceOf(MalformedTileException.class);
  }

  @Test
  void entryBundlesAreCheckedAgainstVerifiedLeafHashes() {
    List<byte[]> entries = TilesTest.entries(300);
    InMemoryHashReader tree = log(entries);
    Map<String, byte[]> files = serve(tree, entries);
    TileHashReader verified = TileAudit.verifyHashTiles(300, tree.root(), fetcher(files));
    EntryBundleId partial = new EntryBundleId(1, 44);

    assertThat(TileAudit.verifyEntryBundle(partial, files.get(partial.path()), verified))
        .hasSize(44)
        .first()
        .isEqualTo(entries.get(256));

    byte[] swapped = EntryBundles.encode(List.of(entries.get(0)));
    assertThatThrownBy(() -> TileAudit.verifyEntryBundle(partial, swapped, verified))
        .isInstanceOf(TileVerificationException.class);
    byte[] forged = files.get(partial.path()).clone();
    forged[forged.length - 1] ^= 1;
    assertThatThrownBy(() -> TileAudit.verifyEntryBundle(partial, forged, verified))
        .isInstanceOf(TileVerificationException.class)
        .hasMessageContaining("entry 43");
  }

  @Test
  void readerRefusesNodesOutsideItsTree() {
    TileHashReader reader = new TileHashReader(300, path -> new byte[32]);

    assertThatThrownBy(() -> reader.hash(9, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> reader.hash(0, 300)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> reader.hash(63, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
