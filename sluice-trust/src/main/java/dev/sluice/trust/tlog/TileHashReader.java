package dev.sluice.trust.tlog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link HashReader} over the C2SP tlog-tiles of a tree of a fixed size, as a client or auditor
 * sees them. Each node at tree level {@code 8L + r} is rehashed from {@code 2^r} hashes of a tile
 * at tile level {@code L}; tiles are fetched once and kept.
 *
 * <p>Tiles are untrusted input: hashes read here are only as good as the check that uses them, such
 * as comparing {@link MerkleTree#root(long, HashReader)} with a verified checkpoint or {@link
 * TileAudit#verifyHashTiles}. Not thread-safe.
 */
public final class TileHashReader implements HashReader {
  private final long treeSize;
  private final TileFetcher fetcher;
  private final Map<HashTileId, List<Hash>> tiles = new HashMap<>();

  public TileHashReader(long treeSize, TileFetcher fetcher) {
    if (treeSize < 0) {
      throw new IllegalArgumentException("tree size must not be negative: " + treeSize);
    }
    this.treeSize = treeSize;
    this.fetcher = fetcher;
  }

  public long treeSize() {
    return treeSize;
  }

  @Override
  public Hash hash(int level, long index) {
    if (level < 0 || level >= Long.SIZE - 1 || index < 0 || index >= (treeSize >>> level)) {
      throw new IllegalArgumentException(
          "a tree of size "
              + treeSize
              + " has no full subtree at level "
              + level
              + " index "
              + index);
    }
    int tileLevel = level / Tiles.HEIGHT;
    int rise = level % Tiles.HEIGHT;
    long first = index << rise;
    HashTileId tile = Tiles.hashTileContaining(tileLevel, first, treeSize);
    int offset = (int) (first % Tiles.WIDTH);
    return MerkleTree.root(tile(tile).subList(offset, offset + (1 << rise)));
  }

  /**
   * The hashes of one tile of this tree, fetched on first use.
   *
   * @throws MalformedTileException if the fetched bytes are not exactly that tile's width
   */
  public List<Hash> tile(HashTileId id) {
    List<Hash> hashes = tiles.get(id);
    if (hashes == null) {
      hashes = HashTiles.decode(fetcher.fetch(id.path()));
      if (hashes.size() != id.width()) {
        throw new MalformedTileException(
            id.path() + " holds " + hashes.size() + " hashes, expected " + id.width());
      }
      tiles.put(id, hashes);
    }
    return hashes;
  }
}
