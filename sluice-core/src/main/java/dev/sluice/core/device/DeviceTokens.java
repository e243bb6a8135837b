package dev.sluice.core.device;

import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Device target tokens: the secret a device presents to the DDI API. Sluice generates {@code
 * sluice_dev_} plus 32 random bytes (base64url); an operator may bring their own (16-128 characters
 * of letters, digits and {@code . _ ~ + / = -}). Only the SHA-256 of the token's ASCII bytes is
 * stored.
 */
public final class DeviceTokens {
  public static final String PREFIX = "sluice_dev_";
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9._~+/=-]{16,128}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private DeviceTokens() {}

  /** A new random token (256 bits). */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Returns the token if it is acceptable as a device token, else throws naming the rule. */
  public static String check(String token) {
    if (token == null || !FORMAT.matcher(token).matches()) {
      throw new IllegalArgumentException(
          "a device token is 16-128 characters of letters, digits and . _ ~ + / = -");
    }
    return token;
  }

  /** The digest stored for a token (and compared when a device authenticates). */
  public static Sha256 hash(String token) {
    return Sha256.of(token.getBytes(StandardCharsets.US_ASCII));
  }
}
