package dev.sluice.trust.tlog;

import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.Ed25519Encodings;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** Key names, key IDs and Ed25519 key encodings shared by signers and verifiers (C2SP). */
final class NoteKeys {
  /** Signature type byte of plain Ed25519 note signatures (C2SP signed-note). */
  static final byte TYPE_ED25519 = 0x01;

  static final int ED25519_KEY_SIZE = 32;

  // DER SubjectPublicKeyInfo header for an Ed25519 key (RFC 8410): the raw key follows it.
  private static final byte[] ED25519_SPKI_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");

  private NoteKeys() {}

  /** Key names are non-empty and contain no Unicode space, no '+' and no control character. */
  static boolean isValidName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    return name.codePoints()
        .noneMatch(
            c -> c == '+' || c < 0x20 || Character.isWhitespace(c) || Character.isSpaceChar(c));
  }

  static String requireValidName(String name) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException("invalid note key name: " + name);
    }
    return name;
  }

  /** key ID = SHA-256(key name || 0x0A || signature type || public key)[:4], big-endian. */
  static int keyId(String name, byte type, byte[] publicKey) {
    MessageDigest digest = Sha256.newDigest();
    digest.update(name.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
    digest.update(type);
    digest.update(publicKey);
    byte[] hash = digest.digest();
    return ((hash[0] & 0xff) << 24)
        | ((hash[1] & 0xff) << 16)
        | ((hash[2] & 0xff) << 8)
        | (hash[3] & 0xff);
  }

  static String hexId(int keyId) {
    return String.format("%08x", keyId);
  }

  /** {@code <name>+<hex id>+<base64(type || key)>}, the layout of vkeys and skeys. */
  static String encode(String name, int keyId, byte type, byte[] key) {
    byte[] typed = new byte[key.length + 1];
    typed[0] = type;
    System.arraycopy(key, 0, typed, 1, key.length);
    String encoded = name + "+" + hexId(keyId) + "+" + Base64.getEncoder().encodeToString(typed);
    Arrays.fill(typed, (byte) 0);
    return encoded;
  }

  /** Strict standard padded base64: decodes and re-encodes to the same text, or returns null. */
  static byte[] decodeBase64(String text) {
    try {
      byte[] bytes = Base64.getDecoder().decode(text);
      return Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static byte[] rawEd25519(PublicKey key) {
    byte[] spki = key.getEncoded();
    if (spki.length != ED25519_SPKI_PREFIX.length + ED25519_KEY_SIZE
        || !Arrays.equals(
            spki,
            0,
            ED25519_SPKI_PREFIX.length,
            ED25519_SPKI_PREFIX,
            0,
            ED25519_SPKI_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 public key");
    }
    return Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX.length, spki.length);
  }

  static PublicKey ed25519PublicKey(byte[] raw) {
    if (raw.length != ED25519_KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + raw.length);
    }
    // Log and witness keys are held to the same rules as every other key (small order, encoding).
    Ed25519Encodings.requireStrictPublicKey(raw);
    byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + raw.length);
    System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("invalid Ed25519 public key", e);
    }
  }
}
