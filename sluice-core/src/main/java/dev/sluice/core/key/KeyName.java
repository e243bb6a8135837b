package dev.sluice.core.key;

import java.util.regex.Pattern;

/**
 * The name of an online key kept in the database: {@code log}, {@code tuf-targets}, {@code
 * tuf-product-acme-phone}: lowercase letters, digits and '-', up to 80 characters (the file name of
 * the same key under {@code DATA/keys/} is this name with {@code .key}).
 */
public record KeyName(String value) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,79}");

  public KeyName {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "a key name must be 1-80 characters of lowercase letters, digits and '-', starting with"
              + " a letter or digit");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
