package dev.sluice.core.rollout;

import dev.sluice.core.Ulid;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * A rollout's id: {@code ro_} followed by a {@link Ulid}, so ids sort by creation time and cannot
 * be guessed.
 */
public record RolloutId(String value) {
  private static final Pattern FORMAT = Pattern.compile("ro_" + Ulid.REGEX);

  public RolloutId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("a rollout id looks like ro_ followed by 26 characters");
    }
  }

  public static RolloutId generate(Clock clock) {
    return new RolloutId("ro_" + Ulid.generate(clock.instant()));
  }

  @Override
  public String toString() {
    return value;
  }
}
