package dev.sluice.core.device;

/**
 * A device's controller id, as the hawkBit DDI API names it in {@code
 * /{tenant}/controller/v1/{controllerId}}: 1-64 characters of letters, digits, '.', '_', ':' and
 * '-', starting with a letter or digit. Case-sensitive.
 */
public record ControllerId(String value) implements Comparable<ControllerId> {
  public static final int MAX_LENGTH = 64;

  public ControllerId {
    if (!valid(value)) {
      throw new IllegalArgumentException(
          "a controller id is 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter"
              + " or digit");
    }
  }

  /**
   * Whether the text is a controller id ({@code [A-Za-z0-9][A-Za-z0-9._:-]{0,63}}, ASCII only).
   * Checked by hand: every device request checks one or two, and a regular expression's matcher was
   * a visible share of what a poll allocated.
   */
  public static boolean valid(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean alphanumeric =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alphanumeric && (i == 0 || (c != '.' && c != '_' && c != ':' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int compareTo(ControllerId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
