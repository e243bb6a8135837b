package dev.sluice.trust.tlog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bytes of C2SP tlog-tiles hash tiles: 1 to 256 concatenated 32-byte hashes. Decoding checks only
 * the shape; {@link TileAudit} checks that the hashes belong to a signed tree.
 */
public final class HashTiles {
  private HashTiles() {}

  public static byte[] encode(List<Hash> hashes) {
    requireWidth(hashes.size());
    byte[] tile = new byte[hashes.size() * Hash.SIZE];
    for (int i = 0; i < hashes.size(); i++) {
      System.arraycopy(hashes.get(i).unsafeBytes(), 0, tile, i * Hash.SIZE, Hash.SIZE);
    }
    return tile;
  }

  /**
   * @throws MalformedTileException unless the bytes are 1 to 256 whole hashes
   */
  public static List<Hash> decode(byte[] tile) {
    if (tile.length % Hash.SIZE != 0) {
      throw new MalformedTileException("hash tile length is not a multiple of 32: " + tile.length);
    }
    requireWidth(tile.length / Hash.SIZE);
    List<Hash> hashes = new ArrayList<>(tile.length / Hash.SIZE);
    for (int offset = 0; offset < tile.length; offset += Hash.SIZE) {
      hashes.add(new Hash(Arrays.copyOfRange(tile, offset, offset + Hash.SIZE)));
    }
    return List.copyOf(hashes);
  }

  /** The bytes of tile {@code id}, read from a store of the log's own hashes (log server side). */
  public static byte[] read(HashTileId id, HashReader reader) {
    List<Hash> hashes = new ArrayList<>(id.width());
    long first = id.index() * Tiles.WIDTH;
    for (int i = 0; i < id.width(); i++) {
      hashes.add(reader.hash(id.treeLevel(), first + i));
    }
    return encode(hashes);
  }

  private static void requireWidth(int width) {
    if (width < 1 || width > Tiles.WIDTH) {
      throw new MalformedTileException("a hash tile holds 1 to 256 hashes, got " + width);
    }
  }
}
