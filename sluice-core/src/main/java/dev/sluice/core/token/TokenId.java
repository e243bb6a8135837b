package dev.sluice.core.token;

import dev.sluice.core.Ulid;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The public id of an API token: a {@link Ulid} for tokens issued since schema V9. It names the
 * token in lists, revocations and the audit trail; it grants nothing.
 */
public record TokenId(String value) {
  private static final Pattern FORMAT = Pattern.compile(Ulid.REGEX);

  public TokenId {
    Objects.requireNonNull(value, "value");
    if (!FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "a token id is 26 characters of Crockford base32 (0-9, A-Z without I, L, O, U)");
    }
  }

  /** A new id: the time in milliseconds, then 80 random bits. */
  public static TokenId generate(Instant at, SecureRandom random) {
    return new TokenId(Ulid.generate(at, random).value());
  }

  @Override
  public String toString() {
    return value;
  }
}
