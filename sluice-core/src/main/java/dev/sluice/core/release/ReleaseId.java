package dev.sluice.core.release;

import dev.sluice.core.Ulid;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * A release's id: {@code rel_} followed by a {@link Ulid}, so ids sort by creation time and cannot
 * be guessed.
 */
public record ReleaseId(String value) {
  private static final Pattern FORMAT = Pattern.compile("rel_" + Ulid.REGEX);

  public ReleaseId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("a release id looks like rel_ followed by 26 characters");
    }
  }

  public static ReleaseId generate(Clock clock) {
    return new ReleaseId("rel_" + Ulid.generate(clock.instant()));
  }

  @Override
  public String toString() {
    return value;
  }
}
