package dev.sluice.core.action;

/**
 * A device action's id. DDI clients see it as a decimal string ({@code "id":"42"}) and send it back
 * in URLs and feedback; some parse it as a C integer, so ids are positive and below 2^31.
 */
public record ActionId(long value) implements Comparable<ActionId> {
  public ActionId {
    if (value <= 0 || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("an action id is a positive 31-bit integer");
    }
  }

  /** Parses the decimal form used on the wire. */
  public static ActionId parse(String text) {
    if (text == null || !text.matches("[1-9][0-9]{0,9}")) {
      throw new IllegalArgumentException("an action id is a positive decimal integer");
    }
    return new ActionId(Long.parseLong(text));
  }

  @Override
  public int compareTo(ActionId other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
