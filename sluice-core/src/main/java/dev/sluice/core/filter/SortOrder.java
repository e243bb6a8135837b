package dev.sluice.core.filter;

import dev.sluice.core.SluiceException;
import java.util.List;
import java.util.Optional;

/**
 * The direction of a list ordered by one field: its {@code sort} parameter is the field's name for
 * oldest first ({@code created}, or {@code +created}) and {@code -} and the name for newest first.
 */
public enum SortOrder {
  ASCENDING,
  DESCENDING;

  /**
   * Reads a list's {@code sort} parameter.
   *
   * @param text the parameter, if the request has it
   * @param field the one field the list sorts by
   * @param byDefault the order when the request names none
   * @throws SluiceException.InvalidInput naming the field the list sorts by, for any other text
   */
  public static SortOrder parse(Optional<String> text, String field, SortOrder byDefault) {
    if (text.isEmpty()) {
      return byDefault;
    }
    String sort = text.get();
    if (sort.equals(field) || sort.equals("+" + field)) {
      return ASCENDING;
    }
    if (sort.equals("-" + field)) {
      return DESCENDING;
    }
    String shown = sort.length() > 64 ? sort.substring(0, 64) + "..." : sort;
    String message =
        "unknown sort '"
            + shown
            + "': this list sorts by "
            + field
            + " (oldest first) or -"
            + field
            + " (newest first)";
    return fail(message);
  }

  private static SortOrder fail(String message) {
    throw new SluiceException.InvalidInput(
        message, List.of(new SluiceException.Violation("sort", message)), null);
  }

  /** The wire form for the field: {@code field} or {@code -field}. */
  public String wire(String field) {
    return this == ASCENDING ? field : "-" + field;
  }
}
