package dev.sluice.trust.tlog;

/**
 * A hash tile: at tile level {@code level}, the {@code width} consecutive tree hashes at tree level
 * {@code 8 * level} starting with hash {@code 256 * index}.
 */
public record HashTileId(int level, long index, int width) implements TileId {
  public HashTileId {
    if (level < 0 || level > Tiles.MAX_LEVEL) {
      throw new MalformedTileException("tile level must be 0 to 63: " + level);
    }
    Tiles.requireIndexAndWidth(index, width);
  }

  @Override
  public String path() {
    return "tile/" + level + "/" + Tiles.encodeIndex(index) + Tiles.widthSuffix(width);
  }

  /** The tree level of the hashes this tile holds. */
  public int treeLevel() {
    return level * Tiles.HEIGHT;
  }
}
