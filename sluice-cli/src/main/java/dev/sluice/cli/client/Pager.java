package dev.sluice.cli.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;

/**
 * Reads a list the server answers in pages: follows each page's cursor until the list ends, or
 * until a limit is reached, and then says where to go on from.
 */
public final class Pager {
  private Pager() {}

  /** One page as the server answered it: its items and the cursor of the next, if more follow. */
  public record Page<T, C>(List<T> items, Optional<C> next) {
    public Page {
      items = List.copyOf(items);
    }
  }

  /** What was read, and the cursor to go on from when the limit stopped the reading early. */
  public record Read<T, C>(List<T> items, Optional<C> more) {
    public Read {
      items = List.copyOf(items);
    }
  }

  /** The most items one page holds ({@code ListLimit.MAX} on the server). */
  public static final int SERVER_PAGE = 1000;

  /** Every item of a list, read from its start in pages as large as the server answers. */
  public static <T, C> List<T> all(BiFunction<Optional<C>, Integer, Page<T, C>> fetch) {
    return read(Optional.empty(), SERVER_PAGE, OptionalInt.empty(), fetch).items();
  }

  /**
   * Reads from {@code start} (or the beginning) pages of at most {@code pageSize} items, asked as
   * {@code fetch.apply(cursor, size)}, until a page names no next cursor or {@code limit} items are
   * read.
   */
  public static <T, C> Read<T, C> read(
      Optional<C> start,
      int pageSize,
      OptionalInt limit,
      BiFunction<Optional<C>, Integer, Page<T, C>> fetch) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("a page holds at least one item, got " + pageSize);
    }
    if (limit.isPresent() && limit.getAsInt() < 1) {
      throw new IllegalArgumentException("a limit is at least 1, got " + limit.getAsInt());
    }
    List<T> items = new ArrayList<>();
    Optional<C> cursor = start;
    while (true) {
      int size = Math.min(pageSize, limit.orElse(Integer.MAX_VALUE) - items.size());
      Page<T, C> page = fetch.apply(cursor, size);
      items.addAll(page.items().subList(0, Math.min(size, page.items().size())));
      if (page.next().isEmpty() || page.items().isEmpty()) {
        return new Read<>(items, Optional.empty());
      }
      if (page.next().equals(cursor)) {
        throw new TransportException(
            "the server answered the same page cursor twice (" + cursor.get() + "); stopped");
      }
      cursor = page.next();
      if (items.size() >= limit.orElse(Integer.MAX_VALUE)) {
        return new Read<>(items, cursor);
      }
    }
  }
}
