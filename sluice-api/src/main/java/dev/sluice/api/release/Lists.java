package dev.sluice.api.release;

import java.util.List;

/** Lists of a wire record: immutable, and empty when the member was absent. */
final class Lists {
  private Lists() {}

  static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
