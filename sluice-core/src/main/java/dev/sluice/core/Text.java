package dev.sluice.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one check for text and instants that enter Sluice from outside (request bodies, filters,
 * reasons): a bounded length, no control characters (no newline or NUL that could forge a log line
 * or cut a C string), no bidirectional overrides (which make text read differently than it is
 * stored, "Trojan Source"), no unpaired surrogates; and instants within years 1970 to 9999, which
 * every store and every epoch-millisecond conversion holds.
 */
public final class Text {
  /** The earliest instant accepted from outside. */
  public static final Instant MIN_INSTANT = Instant.parse("1970-01-01T00:00:00Z");

  /** The latest instant accepted from outside. */
  public static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999Z");

  /** The longest text field of a request accepted (fields with a rule of their own are shorter). */
  public static final int MAX_FIELD = 16 * 1024;

  /** The longest reason (a revocation, a cancel, a rejection) accepted. */
  public static final int MAX_REASON = 2000;

  private Text() {}

  /**
   * Returns {@code value} stripped, or throws {@link IllegalArgumentException} naming {@code field}
   * when it is blank (if required), longer than {@code maxLength}, or contains control characters
   * other than line breaks and tabs (when {@code multiline}) or bidirectional controls.
   */
  public static String check(
      String field, String value, int maxLength, boolean required, boolean multiline) {
    if (value == null || value.isBlank()) {
      if (required) {
        throw new IllegalArgumentException(field + " is required");
      }
      return "";
    }
    String stripped = value.strip();
    if (stripped.length() > maxLength) {
      throw new IllegalArgumentException(field + " is longer than " + maxLength + " characters");
    }
    String problem = problem(stripped, maxLength, multiline);
    if (problem != null) {
      throw new IllegalArgumentException(field + " " + problem);
    }
    return stripped;
  }

  /**
   * Returns {@code value} if it is a non-blank single line of at most {@code maxLength} characters
   * without control characters or bidirectional controls.
   *
   * @throws SluiceException.InvalidInput naming {@code field} and the rule broken
   */
  public static String line(String field, String value, int maxLength) {
    if (value == null || value.isBlank()) {
      throw invalid(field, "must not be empty");
    }
    String problem = problem(value, maxLength);
    if (problem != null) {
      throw invalid(field, problem);
    }
    return value;
  }

  /** {@link #line} for an optional value. */
  public static Optional<String> optionalLine(String field, Optional<String> value, int max) {
    return value.map(v -> line(field, v, max));
  }

  /**
   * What is wrong with {@code value} as a line of at most {@code maxLength} characters, or null if
   * nothing (an empty string is fine here; {@link #line} refuses it).
   */
  public static String problem(String value, int maxLength) {
    return problem(value, maxLength, false);
  }

  /**
   * {@link #problem(String, int)}, allowing newlines and tabs when {@code multiline} (for free text
   * such as a description, which never goes into the log).
   */
  public static String problem(String value, int maxLength, boolean multiline) {
    if (value.length() > maxLength) {
      return "is at most " + maxLength + " characters, got " + value.length();
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed = multiline && (c == '\n' || c == '\r' || c == '\t');
      if (!allowed && (Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
        return "must not contain control characters (such as a newline or NUL) at position "
            + (i + 1);
      }
      if (isBidiControl(c)) {
        return "must not contain bidirectional control characters (U+"
            + String.format(java.util.Locale.ROOT, "%04X", (int) c)
            + ") at position "
            + (i + 1);
      }
      if (Character.isHighSurrogate(c)
          && (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1)))) {
        return "is not valid Unicode (an unpaired surrogate) at position " + (i + 1);
      }
      if (Character.isLowSurrogate(c)
          && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)))) {
        return "is not valid Unicode (an unpaired surrogate) at position " + (i + 1);
      }
    }
    return null;
  }

  /**
   * A printable excerpt of untrusted text for logs and records: controls and bidirectional controls
   * become spaces, runs of space one, and at most {@code maxChars} characters are kept.
   */
  public static String excerpt(String value, int maxChars) {
    if (value == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    boolean space = false;
    for (int i = 0; i < value.length() && out.length() < maxChars; i++) {
      char c = value.charAt(i);
      boolean blank =
          Character.isWhitespace(c)
              || Character.isISOControl(c)
              || isBidiControl(c)
              || Character.isSurrogate(c);
      if (blank) {
        if (!space && out.length() > 0) {
          out.append(' ');
        }
        space = true;
      } else {
        out.append(c);
        space = false;
      }
    }
    String s = out.toString().strip();
    return s.length() < value.strip().length() && value.length() > maxChars ? s + "…" : s;
  }

  /**
   * Returns {@code instant} if it lies in years 1970 to 9999.
   *
   * @throws SluiceException.InvalidInput naming {@code field}
   */
  public static Instant instant(String field, Instant instant) {
    if (!inRange(instant)) {
      throw invalid(field, "must be an instant between " + MIN_INSTANT + " and " + MAX_INSTANT);
    }
    return instant;
  }

  /** Whether the instant lies in years 1970 to 9999. */
  public static boolean inRange(Instant instant) {
    return !instant.isBefore(MIN_INSTANT) && !instant.isAfter(MAX_INSTANT);
  }

  /** U+061C, U+200E/F, U+202A-E and U+2066-9: the characters that reorder displayed text. */
  private static boolean isBidiControl(char c) {
    return c == '\u061c'
        || c == '\u200e'
        || c == '\u200f'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }

  private static SluiceException.InvalidInput invalid(String field, String message) {
    return new SluiceException.InvalidInput(
        field + " " + message, List.of(new SluiceException.Violation("/" + field, message)), null);
  }
}
