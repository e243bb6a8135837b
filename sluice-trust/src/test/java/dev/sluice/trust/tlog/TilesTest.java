package dev.sluice.trust.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TilesTest {

  @Test
  void indexIsEncodedInXPrefixedThreeDigitGroups() {
    assertThat(Tiles.encodeIndex(1234067)).isEqualTo("x001/x234/067");
    assertThat(Tiles.encodeIndex(0)).isEqualTo("000");
    assertThat(Tiles.encodeIndex(999)).isEqualTo("999");
    assertThat(Tiles.encodeIndex(1000)).isEqualTo("x001/000");
    assertThat(Tiles.encodeIndex(Long.MAX_VALUE)).isEqualTo("x009/x223/x372/x036/x854/x775/807");
    assertThat(Tiles.parseIndex("x001/x234/067")).isEqualTo(1234067);
  }

  @Test
  void pathsOfFullAndPartialTilesAndBundles() {
    assertThat(new HashTileId(0, 1234067, 256).path()).isEqualTo("tile/0/x001/x234/067");
    assertThat(new HashTileId(2, 0, 8).path()).isEqualTo("tile/2/000.p/8");
    assertThat(new EntryBundleId(1234067, 256).path()).isEqualTo("tile/entries/x001/x234/067");
    assertThat(new EntryBundleId(3, 255).path()).isEqualTo("tile/entries/003.p/255");
    assertThat(TileId.parse("tile/1/x001/000.p/17")).isEqualTo(new HashTileId(1, 1000, 17));
    assertThat(TileId.parse("tile/entries/067")).isEqualTo(new EntryBundleId(67, 256));
  }

  @Test
  void nonCanonicalPathsAreRejected() {
    List<String> malformed =
        List.of(
            "tile/0/1",
            "tile/0/0001",
            "tile/0/x000/001",
            "tile/0/001/x234",
            "tile/0/x1/234",
            "tile/00/001",
            "tile/64/001",
            "tile/-1/001",
            "tile/0/001.p/0",
            "tile/0/001.p/256",
            "tile/0/001.p/08",
            "tile/0/001.p/",
            "tile/entries/001.p/300",
            "tile/entries/",
            "tile/0/x010/x000/x000/x000/x000/x000/x000/000",
            "tile/0/x922/x337/x203/x685/x477/x580/808",
            "/tile/0/001",
            "tile/0/001/");
    for (String path : malformed) {
      assertThatThrownBy(() -> TileId.parse(path))
          .as("%s", path)
          .isInstanceOf(MalformedTileException.class);
    }
  }

  @Test
  void treeOf70000LeavesHasTheTilesTheSpecLists() {
    List<HashTileId> tiles = Tiles.hashTiles(70_000);

    assertThat(tiles.stream().filter(t -> t.level() == 0 && !t.isPartial())).hasSize(273);
    assertThat(tiles).contains(new HashTileId(0, 273, 112));
    assertThat(tiles.stream().filter(t -> t.level() == 1))
        .containsExactly(new HashTileId(1, 0, 256), new HashTileId(1, 1, 17));
    assertThat(tiles.stream().filter(t -> t.level() == 2)).containsExactly(new HashTileId(2, 0, 1));
    assertThat(tiles).hasSize(273 + 1 + 2 + 1);
  }

  @Test
  void treeOf256LeavesHasAFullTileAndAPartialParent() {
    assertThat(Tiles.hashTiles(256))
        .containsExactly(new HashTileId(0, 0, 256), new HashTileId(1, 0, 1));
    assertThat(Tiles.entryBundles(256)).containsExactly(new EntryBundleId(0, 256));
    assertThat(Tiles.hashTiles(0)).isEmpty();
  }

  @Test
  void growingTheTreeAddsOnlyNewAndChangedTiles() {
    assertThat(Tiles.hashTilesAdded(250, 600))
        .containsExactly(
            new HashTileId(0, 0, 256),
            new HashTileId(0, 1, 256),
            new HashTileId(0, 2, 88),
            new HashTileId(1, 0, 2));
    assertThat(Tiles.hashTilesAdded(600, 601)).containsExactly(new HashTileId(0, 2, 89));
    assertThat(Tiles.hashTilesAdded(600, 600)).isEmpty();
    assertThat(Tiles.entryBundlesAdded(250, 600))
        .containsExactly(
            new EntryBundleId(0, 256), new EntryBundleId(1, 256), new EntryBundleId(2, 88));
  }

  @Test
  void hashTileBytesRoundTripAndRejectBadLengths() {
    List<Hash> hashes = Rfc6962Vectors.ROOTS;

    byte[] tile = HashTiles.encode(hashes);

    assertThat(tile).hasSize(8 * 32);
    assertThat(HashTiles.decode(tile)).isEqualTo(hashes);
    assertThatThrownBy(() -> HashTiles.decode(new byte[33]))
        .isInstanceOf(MalformedTileException.class);
    assertThatThrownBy(() -> HashTiles.decode(new byte[0]))
        .isInstanceOf(MalformedTileException.class);
    assertThatThrownBy(() -> HashTiles.decode(new byte[257 * 32]))
        .isInstanceOf(MalformedTileException.class);
  }

  @Test
  void entryBundleIsLengthPrefixedAndRoundTrips() {
    List<byte[]> entries = List.of(new byte[0], new byte[] {0x61}, new byte[300]);

    byte[] bundle = EntryBundles.encode(entries);

    assertThat(bundle).startsWith(0x00, 0x00, 0x00, 0x01, 0x61, 0x01, 0x2c);
    assertThat(bundle).hasSize(2 + 3 + 302);
    assertThat(EntryBundles.decode(bundle)).containsExactlyElementsOf(entries);
  }

  @Test
  void entryBundleRejectsOversizedEntriesAndTruncation() {
    byte[] bundle = EntryBundles.encode(List.of(new byte[10]));

    assertThatThrownBy(() -> EntryBundles.encode(List.of(new byte[65_536])))
        .isInstanceOf(MalformedTileException.class);
    assertThat(EntryBundles.encode(List.of(new byte[65_535]))).hasSize(65_537);
    assertThatThrownBy(() -> EntryBundles.decode(java.util.Arrays.copyOf(bundle, 11)))
        .isInstanceOf(MalformedTileException.class);
    assertThatThrownBy(() -> EntryBundles.decode(new byte[] {0}))
        .isInstanceOf(MalformedTileException.class);
    assertThatThrownBy(() -> EntryBundles.decode(new byte[0]))
        .isInstanceOf(MalformedTileException.class);
    assertThatThrownBy(() -> EntryBundles.decode(new byte[257 * 2]))
        .isInstanceOf(MalformedTileException.class);
    assertThatThrownBy(() -> EntryBundles.encode(Collections.nCopies(257, new byte[0])))
        .isInstanceOf(MalformedTileException.class);
  }

  @Test
  void tileContainingAHashIsFullOrPartialByTreeSize() {
    assertThat(Tiles.hashTileContaining(0, 5, 70_000)).isEqualTo(new HashTileId(0, 0, 256));
    assertThat(Tiles.hashTileContaining(0, 69_999, 70_000)).isEqualTo(new HashTileId(0, 273, 112));
    assertThat(Tiles.hashTileContaining(1, 272, 70_000)).isEqualTo(new HashTileId(1, 1, 17));
    assertThatThrownBy(() -> Tiles.hashTileContaining(1, 273, 70_000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static List<byte[]> entries(int n) {
    List<byte[]> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      entries.add(("entry " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return entries;
  }
}
