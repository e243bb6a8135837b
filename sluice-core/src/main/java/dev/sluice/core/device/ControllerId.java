package dev.sluice.core.device;

import java.util.regex.Pattern;

/**
 * A device's controller id, as the hawkBit DDI API names it in {@code
 * /{tenant}/controller/v1/{controllerId}}: 1-64 characters of letters, digits, '.', '_', ':' and
 * '-', starting with a letter or digit. Case-sensitive.
 */
public record ControllerId(String value) implements Comparable<ControllerId> {
  public static final int MAX_LENGTH = 64;
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

  public ControllerId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "a controller id is 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter"
              + " or digit");
    }
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
