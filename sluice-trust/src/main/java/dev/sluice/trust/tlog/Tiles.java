package dev.sluice.trust.tlog;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * C2SP tlog-tiles geometry: tile paths and which tiles make up a tree. Pure functions; a tree of a
 * given size always maps to the same tiles, so a verifier can tell exactly which tiles it needs.
 */
public final class Tiles {
  /** Tree levels per tile. */
  public static final int HEIGHT = 8;

  /** Hashes (or entries) in a full tile. */
  public static final int WIDTH = 1 << HEIGHT;

  static final int MAX_LEVEL = 63;

  private static final Pattern PATH =
      Pattern.compile("tile/(?:(entries)|(0|[1-9][0-9]?))/([x0-9/]+?)(?:\\.p/([1-9][0-9]{0,2}))?");
  private static final Pattern INNER_GROUP = Pattern.compile("x[0-9]{3}");
  private static final Pattern LAST_GROUP = Pattern.compile("[0-9]{3}");

  private Tiles() {}

  /** Encodes a tile index as zero-padded 3-digit groups, all but the last x-prefixed. */
  public static String encodeIndex(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("tile index must not be negative: " + index);
    }
    StringBuilder path = new StringBuilder(String.format("%03d", index % 1000));
    for (long rest = index / 1000; rest > 0; rest /= 1000) {
      path.insert(0, String.format("x%03d/", rest % 1000));
    }
    return path.toString();
  }

  /**
   * Decodes what {@link #encodeIndex} produces, rejecting non-canonical forms (a leading {@code
   * x000} group, missing padding).
   *
   * @throws MalformedTileException if it is not a canonical tile index
   */
  public static long parseIndex(String encoded) {
    String[] groups = encoded.split("/", -1);
    if (groups.length > 7 || (groups.length > 1 && groups[0].equals("x000"))) {
      throw new MalformedTileException("non-canonical tile index: " + encoded);
    }
    long index = 0;
    for (int i = 0; i < groups.length; i++) {
      boolean last = i == groups.length - 1;
      String group = groups[i];
      if (!(last ? LAST_GROUP : INNER_GROUP).matcher(group).matches()) {
        throw new MalformedTileException("bad tile index element: " + group);
      }
      try {
        index =
            Math.addExact(
                Math.multiplyExact(index, 1000),
                Integer.parseInt(group, last ? 0 : 1, group.length(), 10));
      } catch (ArithmeticException e) {
        throw new MalformedTileException("tile index out of range: " + encoded);
      }
    }
    return index;
  }

  /**
   * Parses {@code tile/<L>/<N>[.p/<W>]} or {@code tile/entries/<N>[.p/<W>]}.
   *
   * @throws MalformedTileException if the path is not canonical
   */
  public static TileId parsePath(String path) {
    Matcher matcher = PATH.matcher(path == null ? "" : path);
    if (!matcher.matches()) {
      throw new MalformedTileException("not a tile path: " + path);
    }
    long index = parseIndex(matcher.group(3));
    int width = WIDTH;
    if (matcher.group(4) != null) {
      width = Integer.parseInt(matcher.group(4));
      if (width >= WIDTH) {
        throw new MalformedTileException("partial tile width must be 1 to 255: " + width);
      }
    }
    if (matcher.group(1) != null) {
      return new EntryBundleId(index, width);
    }
    return new HashTileId(Integer.parseInt(matcher.group(2)), index, width);
  }

  /** Every hash tile of a tree of {@code treeSize} leaves, level by level, full ones first. */
  public static List<HashTileId> hashTiles(long treeSize) {
    return hashTilesAdded(0, treeSize);
  }

  /**
   * The hash tiles a log must write when it grows from {@code oldSize} to {@code newSize}: new full
   * tiles, and new partial tiles where a level changed. Tiles of {@code oldSize} that are not
   * listed stay valid.
   */
  public static List<HashTileId> hashTilesAdded(long oldSize, long newSize) {
    requireGrowth(oldSize, newSize);
    List<HashTileId> tiles = new ArrayList<>();
    for (int level = 0; level * HEIGHT < Long.SIZE; level++) {
      long oldCount = oldSize >>> (level * HEIGHT);
      long newCount = newSize >>> (level * HEIGHT);
      if (newCount == 0) {
        break;
      }
      if (oldCount == newCount) {
        continue;
      }
      for (long index = oldCount / WIDTH; index < newCount / WIDTH; index++) {
        tiles.add(new HashTileId(level, index, WIDTH));
      }
      if (newCount % WIDTH != 0) {
        tiles.add(new HashTileId(level, newCount / WIDTH, (int) (newCount % WIDTH)));
      }
    }
    return tiles;
  }

  /** Every entry bundle of a tree of {@code treeSize} leaves. */
  public static List<EntryBundleId> entryBundles(long treeSize) {
    return entryBundlesAdded(0, treeSize);
  }

  /** The entry bundles a log must write when it grows from {@code oldSize} to {@code newSize}. */
  public static List<EntryBundleId> entryBundlesAdded(long oldSize, long newSize) {
    return hashTilesAdded(oldSize, newSize).stream()
        .filter(tile -> tile.level() == 0)
        .map(tile -> new EntryBundleId(tile.index(), tile.width()))
        .toList();
  }

  /**
   * The hash tile that holds tree hash {@code index} at tree level {@code 8 * level} in a tree of
   * {@code treeSize} leaves: full if the tree fills it, partial otherwise.
   *
   * @throws IllegalArgumentException if the tree does not contain that hash
   */
  public static HashTileId hashTileContaining(int level, long index, long treeSize) {
    long count = level * HEIGHT < Long.SIZE ? treeSize >>> (level * HEIGHT) : 0;
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "a tree of size " + treeSize + " has no hash " + index + " at tile level " + level);
    }
    long tileIndex = index / WIDTH;
    int width = tileIndex < count / WIDTH ? WIDTH : (int) (count % WIDTH);
    return new HashTileId(level, tileIndex, width);
  }

  static void requireIndexAndWidth(long index, int width) {
    if (index < 0) {
      throw new MalformedTileException("tile index must not be negative: " + index);
    }
    if (width < 1 || width > WIDTH) {
      throw new MalformedTileException("tile width must be 1 to 256: " + width);
    }
  }

  static String widthSuffix(int width) {
    return width == WIDTH ? "" : ".p/" + width;
  }

  private static void requireGrowth(long oldSize, long newSize) {
    if (oldSize < 0 || oldSize > newSize) {
      throw new IllegalArgumentException(
          "sizes must be 0 <= old <= new: " + oldSize + ", " + newSize);
    }
  }
}
