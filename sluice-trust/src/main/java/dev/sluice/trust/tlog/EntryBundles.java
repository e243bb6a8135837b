package dev.sluice.trust.tlog;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bytes of C2SP tlog-tiles entry bundles: 1 to 256 entries, each a big-endian uint16 length and
 * that many bytes. Decoding checks only the shape; {@link TileAudit} checks the entries against the
 * level 0 hash tile.
 */
public final class EntryBundles {
  /** Largest entry a bundle can carry. */
  public static final int MAX_ENTRY_SIZE = 0xffff;

  private EntryBundles() {}

  /**
   * @throws MalformedTileException if there are not 1 to 256 entries or one exceeds 65535 bytes
   */
  public static byte[] encode(List<byte[]> entries) {
    requireCount(entries.size());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] entry : entries) {
      if (entry.length > MAX_ENTRY_SIZE) {
        throw new MalformedTileException("entry of " + entry.length + " bytes exceeds 65535");
      }
      out.write(entry.length >>> 8);
      out.write(entry.length & 0xff);
      out.write(entry, 0, entry.length);
    }
    return out.toByteArray();
  }

  /**
   * @throws MalformedTileException if the bundle is truncated or holds not 1 to 256 entries
   */
  public static List<byte[]> decode(byte[] bundle) {
    List<byte[]> entries = new ArrayList<>();
    int offset = 0;
    while (offset < bundle.length) {
      if (bundle.length - offset < 2) {
        throw new MalformedTileException("entry bundle ends inside a length prefix");
      }
      int length = ((bundle[offset] & 0xff) << 8) | (bundle[offset + 1] & 0xff);
      offset += 2;
      if (bundle.length - offset < length) {
        throw new MalformedTileException("entry bundle ends inside an entry");
      }
      entries.add(Arrays.copyOfRange(bundle, offset, offset + length));
      offset += length;
      requireAtMostFull(entries.size());
    }
    requireCount(entries.size());
    return entries;
  }

  private static void requireAtMostFull(int count) {
    if (count > Tiles.WIDTH) {
      throw new MalformedTileException("an entry bundle holds at most 256 entries");
    }
  }

  private static void requireCount(int count) {
    if (count < 1 || count > Tiles.WIDTH) {
      throw new MalformedTileException("an entry bundle holds 1 to 256 entries, got " + count);
    }
  }
}
