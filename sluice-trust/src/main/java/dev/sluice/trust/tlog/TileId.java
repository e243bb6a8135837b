package dev.sluice.trust.tlog;

/**
 * Names one C2SP tlog-tiles resource: a hash tile or an entry bundle, full (256 wide) or partial.
 * Full tiles never change once served; partial ones are superseded as the tree grows.
 */
public sealed interface TileId permits HashTileId, EntryBundleId {
  /** Index of the tile within its level. */
  long index();

  /** Number of hashes or entries, 1 to 256. */
  int width();

  /** The path below the log prefix, e.g. {@code tile/0/x001/x234/067.p/8}. */
  String path();

  default boolean isPartial() {
    return width() < Tiles.WIDTH;
  }

  /**
   * Parses a tile path, accepting only the canonical encoding that {@link #path()} produces.
   *
   * @throws MalformedTileException if it is not a tile or entry bundle path
   */
  static TileId parse(String path) {
    return Tiles.parsePath(path);
  }
}
