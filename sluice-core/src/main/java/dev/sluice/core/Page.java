package dev.sluice.core;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** One page of a list, and the cursor of the next page when more items follow. */
public record Page<T>(List<T> items, Optional<Cursor> next) {
  public Page {
    items = List.copyOf(items);
  }

  /**
   * The page of a query that asked for {@code limit + 1} items: the extra one only says that more
   * follow, so the page keeps {@code limit} and points past its last.
   */
  public static <T> Page<T> of(List<T> fetched, int limit, Function<T, ? extends Cursor> cursorOf) {
    if (fetched.size() <= limit) {
      return new Page<>(fetched, Optional.empty());
    }
    List<T> kept = fetched.subList(0, limit);
    return new Page<>(kept, Optional.of(cursorOf.apply(kept.getLast())));
  }
}
