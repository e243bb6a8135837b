package dev.sluice.core.token;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The public id of an API token: 26 Crockford base32 characters, a ULID (48 bits of milliseconds,
 * 80 random bits) for tokens issued since schema V9. It names the token in lists, revocations and
 * the audit trail; it grants nothing.
 */
public record TokenId(String value) {
  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final Pattern FORMAT = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");

  public TokenId {
    Objects.requireNonNull(value, "value");
    if (!FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "a token id is 26 characters of Crockford base32 (0-9, A-Z without I, L, O, U)");
    }
  }

  /** A new id: the time in milliseconds, then 80 random bits. */
  public static TokenId generate(Instant at, SecureRandom random) {
    char[] out = new char[26];
    long millis = at.toEpochMilli();
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) (millis & 31));
      millis >>>= 5;
    }
    for (int i = 10; i < 26; i++) {
      out[i] = ALPHABET.charAt(random.nextInt(32));
    }
    return new TokenId(new String(out));
  }

  @Override
  public String toString() {
    return value;
  }
}
