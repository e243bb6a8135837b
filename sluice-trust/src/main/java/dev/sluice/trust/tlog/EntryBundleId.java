package dev.sluice.trust.tlog;

/** An entry bundle: the {@code width} log entries starting with entry {@code 256 * index}. */
public record EntryBundleId(long index, int width) implements TileId {
  public EntryBundleId {
    Tiles.requireIndexAndWidth(index, width);
  }

  @Override
  public String path() {
    return "tile/entries/" + Tiles.encodeIndex(index) + Tiles.widthSuffix(width);
  }

  /** The level 0 hash tile holding the leaf hashes of these entries. */
  public HashTileId hashTile() {
    return new HashTileId(0, index, width);
  }
}
