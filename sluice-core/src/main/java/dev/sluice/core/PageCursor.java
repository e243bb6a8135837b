package dev.sluice.core;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Where a list in creation order (releases, rollouts, products, certifiers, tokens) goes on: the
 * creation time and id of the last item a page held. The next page holds the items strictly past it
 * in {@code (created, id)} order (older when newest first, newer when oldest first), so items
 * created meanwhile never shift it (keyset paging, not offsets). On the wire it is the opaque form
 * every list's cursor has ({@link OpaqueCursor}), naming its list; clients pass it back as {@code
 * after}.
 */
public record PageCursor(Instant created, String id) implements Cursor {
  private static final Pattern ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");

  public PageCursor {
    if (created == null || created.toEpochMilli() < 0) {
      throw new IllegalArgumentException("a cursor's time is not negative");
    }
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a cursor's id is 1 to 64 letters, digits, '_' or '-'");
    }
  }

  /** The opaque form a client of {@code list} sees and sends back. */
  @Override
  public String encode(PagedList list) {
    return OpaqueCursor.encode(list, created.toEpochMilli() + "." + id);
  }

  /**
   * Reads a cursor this server gave for {@code list}.
   *
   * @throws SluiceException.InvalidInput if {@code wire} is not one
   */
  public static PageCursor decode(PagedList list, String wire) {
    String position = OpaqueCursor.position(list, wire);
    int dot = position.indexOf('.');
    if (dot < 1) {
      throw OpaqueCursor.invalid();
    }
    try {
      return new PageCursor(
          Instant.ofEpochMilli(Long.parseLong(position.substring(0, dot))),
          position.substring(dot + 1));
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      // Not a number, or fields out of range (NumberFormatException included).
      throw OpaqueCursor.invalid();
    }
  }
}
