package dev.sluice.core.standards;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How much a failed standard matters: an {@link #ERROR} blocks the release, a warning does not. */
public enum Severity {
  ERROR,
  WARNING;

  /** The JSON form: {@code error} or {@code warning}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads a severity case-insensitively ({@code "error"} or {@code "ERROR"}). */
  @JsonCreator
  public static Severity fromJson(String text) {
    if (text != null) {
      for (Severity s : values()) {
        if (s.name().equals(text.toUpperCase(Locale.ROOT))) {
          return s;
        }
      }
    }
    throw new IllegalArgumentException(
        "severity is ERROR or WARNING, got \"" + Checks.printable(String.valueOf(text), 40) + "\"");
  }
}
