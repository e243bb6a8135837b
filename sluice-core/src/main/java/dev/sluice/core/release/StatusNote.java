package dev.sluice.core.release;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A release manager's public word on a release: why it is where it is and when it is expected. It
 * is shown on the transparency portal, so it is plain text of bounded length.
 *
 * @param text the note (1 to {@value #MAX_LENGTH} characters, no control characters but newlines)
 * @param targetDate when the release is expected, if a date is promised
 * @param updatedBy who last changed it
 * @param updatedAt when
 */
public record StatusNote(
    String text, Optional<LocalDate> targetDate, String updatedBy, Instant updatedAt) {
  public static final int MAX_LENGTH = 2000;

  public StatusNote {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(targetDate, "targetDate");
    Objects.requireNonNull(updatedBy, "updatedBy");
    Objects.requireNonNull(updatedAt, "updatedAt");
    text = text.strip();
    if (text.isEmpty() || text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "text must be 1 to " + MAX_LENGTH + " characters (not only blanks)");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) && c != '\n') {
        throw new IllegalArgumentException("text must not contain control characters");
      }
    }
  }
}
