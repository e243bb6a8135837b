package dev.sluice.core.standards;

import java.util.regex.Pattern;

/** Argument checks and text hygiene shared by this package's records. */
final class Checks {
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private Checks() {}

  static String slug(String value, String what) {
    if (value == null || !SLUG.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what
              + " is 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit, got "
              + quote(value));
    }
    return value;
  }

  /** Single-line text: 1 to {@code max} characters, no control characters. */
  static String line(String value, String what, int max) {
    text(value, what, max);
    if (hasControl(value, false)) {
      throw new IllegalArgumentException(what + " must not contain control characters");
    }
    return value;
  }

  /** Source text: 1 to {@code max} characters; tabs and line breaks allowed. */
  static String source(String value, String what, int max) {
    text(value, what, max);
    if (hasControl(value, true)) {
      throw new IllegalArgumentException(
          what + " must not contain control characters other than tab and line breaks");
    }
    return value;
  }

  private static void text(String value, String what, int max) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
    if (value.length() > max) {
      throw new IllegalArgumentException(
          what + " is at most " + max + " characters, got " + value.length());
    }
  }

  private static boolean hasControl(String value, boolean allowWhitespace) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (allowWhitespace && (c == '\t' || c == '\n' || c == '\r')) {
        continue;
      }
      if (isControl(c)) {
        return true;
      }
    }
    return false;
  }

  static boolean isControl(char c) {
    return c <= 0x1F || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
  }

  /**
   * Makes text from a manifest or an evaluation safe to show: control characters (which could drive
   * a terminal) become U+FFFD, and overlong text is cut to {@code max} characters.
   */
  static String printable(String value, int max) {
    StringBuilder sb = new StringBuilder(Math.min(value.length(), max + 3));
    for (int i = 0; i < value.length() && sb.length() < max; i++) {
      char c = value.charAt(i);
      sb.append(isControl(c) ? '\uFFFD' : c);
    }
    if (value.length() > max) {
      sb.append("...");
    }
    return sb.toString();
  }

  private static String quote(String value) {
    return value == null ? "nothing" : "\"" + printable(value, 80) + "\"";
  }
}
