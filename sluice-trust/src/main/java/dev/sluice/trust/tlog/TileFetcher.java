package dev.sluice.trust.tlog;

/**
 * Fetches the bytes of a tile by its path below the log prefix (HTTP, files, a cache). What it
 * returns is untrusted: {@link TileHashReader} and {@link TileAudit} check it.
 */
@FunctionalInterface
public interface TileFetcher {
  /**
   * @param path a tile path such as {@code tile/1/000.p/3}
   * @return the tile bytes; implementations throw (unchecked) if the tile cannot be fetched
   */
  byte[] fetch(String path);
}
