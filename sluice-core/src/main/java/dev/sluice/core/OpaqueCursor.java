package dev.sluice.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The one wire form of every list's cursor: base64url (no padding) of {@code <list>:<position>}.
 * Clients treat it as an opaque string taken from a page's {@code next} and sent back as {@code
 * after}; {@link PageCursor} and {@link KeyCursor} give the position its meaning.
 */
final class OpaqueCursor {
  static final String PROBLEM =
      "'after' is not a cursor this server gave for this list (take it from the list's 'next')";
  private static final int MAX_WIRE_LENGTH = 192;

  private OpaqueCursor() {}

  static String encode(PagedList list, String position) {
    byte[] text = (list.tag() + ":" + position).getBytes(StandardCharsets.US_ASCII);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text);
  }

  /**
   * The position a cursor of {@code list} holds.
   *
   * @throws SluiceException.InvalidInput if {@code wire} is not a cursor of that list
   */
  static String position(PagedList list, String wire) {
    if (wire == null || wire.isEmpty() || wire.length() > MAX_WIRE_LENGTH) {
      throw invalid();
    }
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(wire), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    String prefix = list.tag() + ":";
    if (!text.startsWith(prefix) || text.length() == prefix.length()) {
      throw invalid();
    }
    return text.substring(prefix.length());
  }

  static SluiceException.InvalidInput invalid() {
    return new SluiceException.InvalidInput(PROBLEM);
  }
}
