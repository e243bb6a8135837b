package dev.sluice.core.tlog;

import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.Tiles;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the log has already read and will never see change, kept in memory so that tiles and proofs
 * are answered without the database: the size of the largest signed checkpoint seen (the tree only
 * grows, so every tree size up to it stays servable), and rows of stored perfect-subtree hashes.
 *
 * <p>A row is the run of {@link Tiles#WIDTH} hashes of one tree level that a hash tile would hold
 * ({@code level}, {@code block}): hashes {@code block * 256} onwards, as the raw bytes of a hash
 * tile. Stored hashes are append-only, so a row read once is right forever; a row that was not yet
 * full when read is kept as the prefix it was, and replaced by a longer one when read again. At
 * most {@link #MAX_ROWS} rows (8 KiB each when full, so 16 MiB) are kept, the least recently used
 * dropped first. Thread-safe.
 */
final class HashRows {
  /** Rows kept at most: every row of a 200,000-entry tree fits. */
  static final int MAX_ROWS = 2048;

  private record RowKey(int level, long block) {}

  private final AtomicLong signedSize = new AtomicLong(-1);
  private final Map<RowKey, byte[]> rows;

  HashRows(int maxRows) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("keep at least one row, got " + maxRows);
    }
    this.rows =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<RowKey, byte[]> eldest) {
            return size() > maxRows;
          }
        };
  }

  /** The size of the largest signed checkpoint seen, or -1 before the first. */
  long signedSize() {
    return signedSize.get();
  }

  /** Records a signed checkpoint's size (a smaller one than already seen changes nothing). */
  void signed(long size) {
    signedSize.accumulateAndGet(size, Math::max);
  }

  /** The stored hash at (level, index), if its row is kept and reaches that far; else null. */
  Hash hash(int level, long index) {
    byte[] row = row(level, index / Tiles.WIDTH);
    int offset = (int) (index % Tiles.WIDTH) * Hash.SIZE;
    if (row == null || row.length < offset + Hash.SIZE) {
      return null;
    }
    return new Hash(Arrays.copyOfRange(row, offset, offset + Hash.SIZE));
  }

  /** The first {@code width} hashes of a row as hash-tile bytes, if kept that long; else null. */
  byte[] tile(int level, long block, int width) {
    byte[] row = row(level, block);
    int length = width * Hash.SIZE;
    return row == null || row.length < length ? null : Arrays.copyOf(row, length);
  }

  /** Keeps a row read from storage (hash-tile bytes), unless a longer one is kept already. */
  void keep(int level, long block, byte[] row) {
    if (row.length == 0 || row.length % Hash.SIZE != 0 || row.length > Tiles.WIDTH * Hash.SIZE) {
      throw new IllegalArgumentException("a row is 1 to 256 hashes, got " + row.length + " bytes");
    }
    RowKey key = new RowKey(level, block);
    synchronized (rows) {
      byte[] kept = rows.get(key);
      if (kept == null || kept.length < row.length) {
        rows.put(key, row.clone());
      }
    }
  }

  private byte[] row(int level, long block) {
    synchronized (rows) {
      return rows.get(new RowKey(level, block));
    }
  }
}
