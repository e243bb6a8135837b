package dev.sluice.trust.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class TileProperties {
  private static final int MAX_SIZE = 3000;
  private static final InMemoryHashReader TREE = new InMemoryHashReader();

  static {
    for (int i = 0; i < MAX_SIZE; i++) {
      TREE.appendEntry(("leaf " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** Serves, for any tile path, the tile a log of that size would have written. */
  private static final TileFetcher SERVER =
      path -> HashTiles.read((HashTileId) TileId.parse(path), TREE);

  @Property(tries = 60)
  void rootFromTilesEqualsDirectRoot(@ForAll @IntRange(min = 0, max = MAX_SIZE) int size) {
    Hash direct =
        MerkleTree.root(
            java.util.stream.LongStream.range(0, size).mapToObj(i -> TREE.hash(0, i)).toList());

    assertThat(MerkleTree.root(size, new TileHashReader(size, SERVER))).isEqualTo(direct);
    assertThat(TileAudit.verifyHashTiles(size, direct, SERVER).treeSize()).isEqualTo(size);
  }

  @Property(tries = 60)
  void proofsFromTilesEqualProofsFromTheLog(
      @ForAll @IntRange(min = 1, max = MAX_SIZE) int size,
      @ForAll @IntRange(min = 0, max = MAX_SIZE - 1) int seed) {
    TileHashReader tiles = new TileHashReader(size, SERVER);
    long leaf = seed % size;

    assertThat(InclusionProofs.generate(leaf, size, tiles))
        .isEqualTo(InclusionProofs.generate(leaf, size, TREE));
    assertThat(ConsistencyProofs.generate(leaf, size, tiles))
        .isEqualTo(ConsistencyProofs.generate(leaf, size, TREE));
  }

  @Property
  void hashTilePathsRoundTrip(
      @ForAll @IntRange(min = 0, max = 63) int level,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long index,
      @ForAll @IntRange(min = 1, max = 256) int width) {
    HashTileId tile = new HashTileId(level, index, width);

    assertThat(TileId.parse(tile.path())).isEqualTo(tile);
    assertThat(Tiles.parseIndex(Tiles.encodeIndex(index))).isEqualTo(index);
  }

  @Property
  void entryBundlePathsRoundTrip(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long index,
      @ForAll @IntRange(min = 1, max = 256) int width) {
    EntryBundleId bundle = new EntryBundleId(index, width);

    assertThat(TileId.parse(bundle.path())).isEqualTo(bundle);
  }

  @Property(tries = 200)
  void entryBundlesRoundTrip(@ForAll @Size(min = 1, max = 256) List<byte[]> entries) {
    assertThat(EntryBundles.decode(EntryBundles.encode(entries)))
        .containsExactlyElementsOf(entries);
  }

  @Property(tries = 200)
  void tilesAddedByGrowthAreExactlyTheNewOrChangedOnes(
      @ForAll @IntRange(min = 0, max = 70_000) int oldSeed,
      @ForAll @IntRange(min = 0, max = 70_000) int newSize) {
    int oldSize = oldSeed % (newSize + 1);
    java.util.Set<HashTileId> before = new java.util.HashSet<>(Tiles.hashTiles(oldSize));
    List<HashTileId> after = Tiles.hashTiles(newSize);

    assertThat(Tiles.hashTilesAdded(oldSize, newSize))
        .containsExactlyInAnyOrderElementsOf(
            after.stream().filter(tile -> !before.contains(tile)).toList());
  }
}
