package dev.sluice.server.log;

import dev.sluice.server.http.Call;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ETags of resources whose bytes never change once they exist (C2SP hash tiles: a tile's path
 * names its level, index and width, and the log is append-only), by path: each is hashed once
 * instead of on every request. At most {@code maxEntries} are kept; when full, all are forgotten
 * and hashed again as they are asked for.
 */
final class ImmutableTags {
  /** Every hash tile of a tree of over a million entries at level 0 (about 100 bytes each). */
  static final int DEFAULT_MAX_ENTRIES = 4_096;

  private final ConcurrentHashMap<String, String> tags = new ConcurrentHashMap<>();
  private final int maxEntries;

  ImmutableTags(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("at least one entry is kept");
    }
    this.maxEntries = maxEntries;
  }

  /**
   * The ETag of the resource at {@code path}, whose bytes are {@code bytes} (the same every time it
   * is asked for): the one computed before, else {@link Call#etagOf}.
   */
  String of(String path, byte[] bytes) {
    String kept = tags.get(path);
    if (kept != null) {
      return kept;
    }
    String tag = Call.etagOf(bytes);
    if (tags.size() >= maxEntries) {
      tags.clear();
    }
    tags.put(path, tag);
    return tag;
  }

  int size() {
    return tags.size();
  }
}
