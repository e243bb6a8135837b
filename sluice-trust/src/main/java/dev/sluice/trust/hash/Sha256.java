package dev.sluice.trust.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 digest as 64 lowercase hex characters. A value of this type is always well-formed, so
 * code that holds one never has to re-validate it.
 */
public record Sha256(String hex) {
  /**
   * A digest nothing is ever fed to, cloned for each new one: looking SHA-256 up among the security
   * providers ({@link MessageDigest#getInstance}) on every token hash was a twentieth of a poll
   * miss's CPU samples. A clone is private to its caller, so any thread (virtual ones included) may
   * use it; nothing is kept per thread.
   */
  private static final MessageDigest PROTOTYPE = lookUp();

  private static final boolean CLONEABLE = cloneable();

  public Sha256 {
    if (!lowerHex64(hex)) {
      throw new IllegalArgumentException("a sha256 digest is 64 lowercase hex characters");
    }
  }

  private static boolean lowerHex64(String text) {
    if (text == null || text.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** Parses a digest, accepting upper-case hex and an optional {@code sha256:} prefix. */
  public static Sha256 parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a sha256 digest is 64 lowercase hex characters");
    }
    String trimmed = text.strip();
    if (trimmed.regionMatches(true, 0, "sha256:", 0, 7)) {
      trimmed = trimmed.substring(7);
    }
    return new Sha256(trimmed.toLowerCase(java.util.Locale.ROOT));
  }

  public static Sha256 of(byte[] data) {
    return fromBytes(newDigest().digest(data));
  }

  public static Sha256 fromBytes(byte[] digest) {
    if (digest.length != 32) {
      throw new IllegalArgumentException("a sha256 digest is 32 bytes, got " + digest.length);
    }
    return new Sha256(HexFormat.of().formatHex(digest));
  }

  /** A fresh {@link MessageDigest} for streaming input. */
  public static MessageDigest newDigest() {
    if (CLONEABLE) {
      try {
        return (MessageDigest) PROTOTYPE.clone();
      } catch (CloneNotSupportedException e) {
        // Checked once below; a provider that changes its mind gets looked up instead.
      }
    }
    return lookUp();
  }

  private static MessageDigest lookUp() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  private static boolean cloneable() {
    try {
      PROTOTYPE.clone();
      return true;
    } catch (CloneNotSupportedException e) {
      return false;
    }
  }

  public byte[] bytes() {
    return HexFormat.of().parseHex(hex);
  }

  /**
   * Compares in constant time, for digests that authenticate something. Both are lowercase hex by
   * construction, so their hex compares as their bytes would.
   */
  public boolean matches(Sha256 other) {
    return MessageDigest.isEqual(
        hex.getBytes(StandardCharsets.US_ASCII), other.hex.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return hex;
  }
}
