package dev.sluice.cli.output;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as people write them: a whole number of bytes ({@code 1048576}), optionally with a
 * binary ({@code KiB MiB GiB TiB}) or decimal ({@code KB MB GB TB}) unit, case-insensitive.
 */
public final class Sizes {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*([a-z]*)");
  private static final String[] BINARY_UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

  private Sizes() {}

  /**
   * The number of bytes {@code text} denotes.
   *
   * @throws IllegalArgumentException if it is not a positive size or does not fit in a long
   */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size; write e.g. 4GiB, 512MiB, 100MB or a number of bytes");
    }
    long multiplier =
        switch (m.group(2)) {
          case "", "b" -> 1L;
          case "k", "kib" -> 1L << 10;
          case "m", "mib" -> 1L << 20;
          case "g", "gib" -> 1L << 30;
          case "t", "tib" -> 1L << 40;
          case "kb" -> 1_000L;
          case "mb" -> 1_000_000L;
          case "gb" -> 1_000_000_000L;
          case "tb" -> 1_000_000_000_000L;
          default ->
              throw new IllegalArgumentException(
                  "unknown size unit '"
                      + m.group(2)
                      + "' in '"
                      + text
                      + "'; use B, KiB, MiB, GiB, TiB, KB, MB, GB or TB");
        };
    long value;
    try {
      value = Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a size", e);
    }
    if (value <= 0) {
      throw new IllegalArgumentException("a size must be positive, got '" + text + "'");
    }
    return value;
  }

  /** A short, exact-when-possible rendering: {@code 4 GiB}, {@code 1.5 MiB}, {@code 17 B}. */
  public static String format(long bytes) {
    int unit = 0;
    double value = bytes;
    while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    if (unit == 0) {
      return bytes + " B";
    }
    if (value == Math.rint(value)) {
      return String.format(Locale.ROOT, "%d %s", (long) value, BINARY_UNITS[unit]);
    }
    return String.format(Locale.ROOT, "%.1f %s", value, BINARY_UNITS[unit]);
  }
}
