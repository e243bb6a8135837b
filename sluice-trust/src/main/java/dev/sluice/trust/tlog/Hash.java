package dev.sluice.trust.tlog;

import dev.sluice.trust.hash.Sha256;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A 32-byte SHA-256 Merkle tree hash (leaf, interior node or root). The bytes are copied in and
 * out, so a value never changes after construction; {@link #equals} compares in constant time.
 *
 * <p>Kept as bytes rather than {@link Sha256}'s hex because proofs and tiles hash millions of
 * these; {@link #of(Sha256)} and {@link #toSha256()} convert at the boundary.
 */
public record Hash(byte[] value) {
  public static final int SIZE = 32;

  public Hash {
    if (value == null || value.length != SIZE) {
      throw new IllegalArgumentException(
          "a tree hash is 32 bytes, got " + (value == null ? "null" : value.length));
    }
    value = value.clone();
  }

  public static Hash of(Sha256 digest) {
    return new Hash(digest.bytes());
  }

  public static Hash fromHex(String hex) {
    return new Hash(HexFormat.of().parseHex(hex));
  }

  /** Decodes standard padded base64 (RFC 4648 §4), rejecting anything that is not 32 bytes. */
  public static Hash fromBase64(String base64) {
    return new Hash(Base64.getDecoder().decode(base64));
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The internal array, for hashing inside this package only; callers must not modify it. */
  byte[] unsafeBytes() {
    return value;
  }

  public String hex() {
    return HexFormat.of().formatHex(value);
  }

  public String base64() {
    return Base64.getEncoder().encodeToString(value);
  }

  public Sha256 toSha256() {
    return Sha256.fromBytes(value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Hash that && MessageDigest.isEqual(value, that.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return hex();
  }
}
