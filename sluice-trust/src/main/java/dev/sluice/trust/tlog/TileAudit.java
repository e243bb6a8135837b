package dev.sluice.trust.tlog;

import java.util.List;

/**
 * Checks a tiled log against a verified checkpoint, as an auditor does: every hash tile must chain
 * up to the checkpoint's root, and every entry must hash to its leaf. After {@link
 * #verifyHashTiles} succeeds, the fetched tiles are exactly the tree the log signed.
 */
public final class TileAudit {
  private TileAudit() {}

  /**
   * Fetches every hash tile of a tree of {@code treeSize} leaves and checks that the root they
   * produce is {@code root} and that each full tile hashes to its parent hash one tile level up.
   *
   * @return the reader holding the now-verified tiles, for proofs and entry checks
   * @throws TileVerificationException if any tile contradicts the root or its parent
   */
  public static TileHashReader verifyHashTiles(long treeSize, Hash root, TileFetcher fetcher) {
    TileHashReader reader = new TileHashReader(treeSize, fetcher);
    if (!MerkleTree.root(treeSize, reader).equals(root)) {
      throw new TileVerificationException("checkpoint", "tiles do not produce the root hash");
    }
    // The root covers the top tile and every partial tile; a full tile is covered by its parent.
    for (HashTileId tile : Tiles.hashTiles(treeSize)) {
      if (tile.isPartial()) {
        continue;
      }
      Hash parent = reader.hash(tile.treeLevel() + Tiles.HEIGHT, tile.index());
      if (!MerkleTree.root(reader.tile(tile)).equals(parent)) {
        throw new TileVerificationException(tile.path(), "tile does not hash to its parent");
      }
    }
    return reader;
  }

  /**
   * Decodes an entry bundle and checks every entry against the leaf hashes of a verified tree.
   *
   * @param verifiedTiles a reader returned by {@link #verifyHashTiles}
   * @throws TileVerificationException if the bundle has the wrong width or an entry does not match
   */
  public static List<byte[]> verifyEntryBundle(
      EntryBundleId id, byte[] bundle, TileHashReader verifiedTiles) {
    List<byte[]> entries = EntryBundles.decode(bundle);
    if (entries.size() != id.width()) {
      throw new TileVerificationException(
          id.path(), "holds " + entries.size() + " entries, expected " + id.width());
    }
    for (int i = 0; i < entries.size(); i++) {
      Hash expected = verifiedTiles.hash(0, id.index() * Tiles.WIDTH + i);
      if (!MerkleHash.leaf(entries.get(i)).equals(expected)) {
        throw new TileVerificationException(id.path(), "entry " + i + " does not match its leaf");
      }
    }
    return entries;
  }
}
