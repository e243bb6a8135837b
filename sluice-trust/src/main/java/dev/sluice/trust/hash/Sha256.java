package dev.sluice.trust.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A SHA-256 digest as 64 lowercase hex characters. A value of this type is always well-formed, so
 * code that holds one never has to re-validate it.
 */
public record Sha256(String hex) {
  private static final Pattern LOWER_HEX_64 = Pattern.compile("[0-9a-f]{64}");

  public Sha256 {
    if (hex == null || !LOWER_HEX_64.matcher(hex).matches()) {
      throw new IllegalArgumentException("a sha256 digest is 64 lowercase hex characters");
    }
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
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  public byte[] bytes() {
    return HexFormat.of().parseHex(hex);
  }

  /** Compares in constant time, for digests that authenticate something. */
  public boolean matches(Sha256 other) {
    return MessageDigest.isEqual(bytes(), other.bytes());
  }

  @Override
  public String toString() {
    return hex;
  }
}
