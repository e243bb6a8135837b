package dev.sluice.core.rollout;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * A rollout's id: {@code ro_} followed by a 26-character ULID (48-bit millisecond time, 80 random
 * bits, Crockford base32), so ids sort by creation time and cannot be guessed.
 */
public record RolloutId(String value) {
  private static final Pattern FORMAT = Pattern.compile("ro_[0-9A-HJKMNP-TV-Z]{26}");
  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  public RolloutId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("a rollout id looks like ro_ followed by 26 characters");
    }
  }

  public static RolloutId generate(Clock clock) {
    char[] out = new char[26];
    long time = clock.millis();
    for (int i = 9; i >= 0; i--) {
      out[i] = CROCKFORD[(int) (time & 31)];
      time >>>= 5;
    }
    for (int i = 10; i < 26; i++) {
      out[i] = CROCKFORD[RANDOM.nextInt(32)];
    }
    return new RolloutId("ro_" + new String(out));
  }

  @Override
  public String toString() {
    return value;
  }
}
