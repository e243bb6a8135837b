package dev.sluice.core;

import java.util.regex.Pattern;

/**
 * Where a list ordered by one unique key goes on: the key of the last item a page held (a device's
 * controller id, an audit event's sequence number). The next page holds the items strictly past it,
 * so items added meanwhile never shift it. On the wire it is the same opaque form as every cursor
 * ({@link OpaqueCursor}).
 */
public record KeyCursor(String key) implements Cursor {
  private static final Pattern KEY = Pattern.compile("[0-9A-Za-z._:-]{1,128}");
  private static final Pattern SEQUENCE = Pattern.compile("[0-9]{1,18}");

  public KeyCursor {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "a cursor's key is 1 to 128 letters, digits, '.', '_', ':' or '-'");
    }
  }

  /** The cursor past the event numbered {@code sequence}. */
  public static KeyCursor ofSequence(long sequence) {
    if (sequence < 0) {
      throw new IllegalArgumentException("a sequence number is not negative");
    }
    return new KeyCursor(Long.toString(sequence));
  }

  /** The opaque form a client of {@code list} sees and sends back. */
  @Override
  public String encode(PagedList list) {
    return OpaqueCursor.encode(list, key);
  }

  /**
   * Reads a cursor this server gave for {@code list}.
   *
   * @throws SluiceException.InvalidInput if {@code wire} is not one
   */
  public static KeyCursor decode(PagedList list, String wire) {
    try {
      return new KeyCursor(OpaqueCursor.position(list, wire));
    } catch (IllegalArgumentException e) {
      throw OpaqueCursor.invalid();
    }
  }

  /**
   * The key read as the list's own type (a controller id, say).
   *
   * @throws SluiceException.InvalidInput if {@code parse} refuses it: the cursor was not made from
   *     one
   */
  public <T> T as(java.util.function.Function<String, T> parse) {
    try {
      return parse.apply(key);
    } catch (IllegalArgumentException e) {
      throw OpaqueCursor.invalid();
    }
  }

  /**
   * The sequence number this cursor holds.
   *
   * @throws SluiceException.InvalidInput if it holds something else
   */
  public long sequence() {
    if (!SEQUENCE.matcher(key).matches()) {
      throw OpaqueCursor.invalid();
    }
    return Long.parseLong(key);
  }
}
