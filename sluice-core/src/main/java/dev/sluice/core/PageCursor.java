package dev.sluice.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Where a list in creation order (releases, rollouts) goes on: the creation time and id of the last
 * item a page held. The next page holds the items strictly past it in {@code (created, id)} order
 * (older when newest first, newer when oldest first), so items created meanwhile never shift it
 * (keyset paging, not offsets). On the wire it is an opaque base64url string that clients pass back
 * as {@code after}.
 */
public record PageCursor(Instant created, String id) {
  private static final Pattern ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");
  private static final int MAX_WIRE_LENGTH = 128;

  public PageCursor {
    if (created == null || created.toEpochMilli() < 0) {
      throw new IllegalArgumentException("a cursor's time is not negative");
    }
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a cursor's id is 1 to 64 letters, digits, '_' or '-'");
    }
  }

  /** The opaque form a client sees and sends back. */
  public String encode() {
    byte[] text = (created.toEpochMilli() + "." + id).getBytes(StandardCharsets.US_ASCII);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text);
  }

  /**
   * Reads a cursor this server gave.
   *
   * @throws SluiceException.InvalidInput if {@code wire} is not one
   */
  public static PageCursor decode(String wire) {
    String problem = "'after' is not a cursor this server gave (take it from a list's 'next')";
    if (wire == null || wire.isEmpty() || wire.length() > MAX_WIRE_LENGTH) {
      throw new SluiceException.InvalidInput(problem);
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(wire), StandardCharsets.US_ASCII);
      int dot = text.indexOf('.');
      if (dot < 1) {
        throw new SluiceException.InvalidInput(problem);
      }
      return new PageCursor(
          Instant.ofEpochMilli(Long.parseLong(text.substring(0, dot))), text.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      // Not base64url, not a number, or fields out of range (NumberFormatException included).
      throw new SluiceException.InvalidInput(problem);
    }
  }
}
