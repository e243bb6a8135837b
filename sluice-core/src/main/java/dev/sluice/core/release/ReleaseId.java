package dev.sluice.core.release;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * A release's id: {@code rel_} followed by a 26-character ULID (48-bit millisecond time, 80 random
 * bits, Crockford base32), so ids sort by creation time and cannot be guessed.
 */
public record ReleaseId(String value) {
  private static final Pattern FORMAT = Pattern.compile("rel_[0-9A-HJKMNP-TV-Z]{26}");
  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  public ReleaseId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("a release id looks like rel_ followed by 26 characters");
    }
  }

  public static ReleaseId generate(Clock clock) {
    long time = clock.millis();
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = CROCKFORD[(int) (time & 31)];
      time >>>= 5;
    }
    // 80 random bits as 16 base32 characters.
    long high = 0;
    long low = 0;
    for (int i = 0; i < 2; i++) {
      high = (high << 8) | (random[i] & 0xff);
    }
    for (int i = 2; i < 10; i++) {
      low = (low << 8) | (random[i] & 0xff);
    }
    for (int i = 25; i >= 10; i--) {
      out[i] = CROCKFORD[(int) (low & 31)];
      low = (low >>> 5) | ((high & 31) << 59);
      high >>>= 5;
    }
    return new ReleaseId("rel_" + new String(out));
  }

  @Override
  public String toString() {
    return value;
  }
}
