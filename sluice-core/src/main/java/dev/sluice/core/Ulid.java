package dev.sluice.core;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * A ULID: 26 Crockford base32 characters, 48 bits of milliseconds since the epoch then 80 random
 * bits. Ids built on it (releases, rollouts, tokens) sort by creation time and cannot be guessed.
 */
public record Ulid(String value) {
  /** The form of a ULID, for ids that embed one after a prefix. */
  public static final String REGEX = "[0-9A-HJKMNP-TV-Z]{26}";

  private static final Pattern FORMAT = Pattern.compile(REGEX);
  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final long MAX_MILLIS = (1L << 48) - 1;
  private static final SecureRandom RANDOM = new SecureRandom();

  public Ulid {
    Objects.requireNonNull(value, "value");
    if (!FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "a ULID is 26 characters of Crockford base32 (0-9, A-Z without I, L, O, U)");
    }
  }

  /** A new ULID for {@code at}, with random bits from a shared {@link SecureRandom}. */
  public static Ulid generate(Instant at) {
    return generate(at, RANDOM);
  }

  /** A new ULID for {@code at}, with random bits from {@code random}. */
  public static Ulid generate(Instant at, Random random) {
    long millis = at.toEpochMilli();
    if (millis < 0 || millis > MAX_MILLIS) {
      throw new IllegalArgumentException("a ULID's time is 0 to 2^48-1 ms after the epoch: " + at);
    }
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = CROCKFORD[(int) (millis & 31)];
      millis >>>= 5;
    }
    for (int i = 10; i < 26; i++) {
      out[i] = CROCKFORD[random.nextInt(32)];
    }
    return new Ulid(new String(out));
  }

  @Override
  public String toString() {
    return value;
  }
}
