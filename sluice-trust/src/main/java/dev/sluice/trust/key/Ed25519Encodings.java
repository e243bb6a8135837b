package dev.sluice.trust.key;

import java.math.BigInteger;
import java.util.Optional;
import java.util.Set;

/**
 * Strict checks on Ed25519 encodings (RFC 8032 §5.1.3, §5.1.7), applied before the JDK sees a key
 * or a signature, so that what Sluice accepts does not depend on a provider's leniency:
 *
 * <ul>
 *   <li>a public key must be a canonical encoding ({@code y < p}, no sign bit on {@code x = 0}) of
 *       a point on the curve that is not of small order (one of the eight points whose order
 *       divides the cofactor 8, which make "signatures" verifiable without any private key);
 *   <li>a signature's {@code R} is held to the same rules, and its {@code S} must be below the
 *       group order {@code L} (no malleable second form of a signature).
 * </ul>
 *
 * Only the encodings are examined, with plain modular arithmetic; the signature itself is verified
 * by the JDK. Mixed-order keys (a large-order point plus a torsion component) are not refused: no
 * known attack needs them once small-order points and non-canonical encodings are gone.
 */
public final class Ed25519Encodings {
  /** The field prime {@code 2^255 - 19}. */
  static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

  /**
   * The order of the prime-order subgroup, {@code 2^252 + 27742317777372353535851937790883648493}.
   */
  static final BigInteger L =
      BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

  // d = -121665 / 121666 (RFC 8032 §5.1).
  private static final BigInteger D =
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);

  // y of the order-8 points (and p - y8 for the other four). With y = 1 (the identity, order 1),
  // y = p - 1 (order 2) and y = 0 (two points of order 4), these are the y coordinates of all
  // eight points of small order; libsodium refuses the same list.
  private static final BigInteger Y8 =
      new BigInteger(
          "2707385501144840649318225287225658788936804267575313519463743609750303402022");
  private static final Set<BigInteger> SMALL_ORDER_Y =
      Set.of(BigInteger.ZERO, BigInteger.ONE, P.subtract(BigInteger.ONE), Y8, P.subtract(Y8));

  static final int KEY_LENGTH = 32;
  static final int SIGNATURE_LENGTH = 64;

  private Ed25519Encodings() {}

  /**
   * Why these 32 bytes are not an acceptable Ed25519 public key, or empty if they are.
   *
   * @param publicKey the RFC 8032 encoding of the key
   */
  public static Optional<String> publicKeyDefect(byte[] publicKey) {
    if (publicKey.length != KEY_LENGTH) {
      return Optional.of("an ed25519 public key is 32 bytes, got " + publicKey.length);
    }
    return pointDefect(publicKey, 0).map(d -> "ed25519 public key " + d);
  }

  /** Why these bytes are not an acceptable Ed25519 signature encoding, or empty if they are. */
  public static Optional<String> signatureDefect(byte[] signature) {
    if (signature.length != SIGNATURE_LENGTH) {
      return Optional.of("an ed25519 signature is 64 bytes, got " + signature.length);
    }
    Optional<String> r = pointDefect(signature, 0);
    if (r.isPresent()) {
      return Optional.of("signature R " + r.get());
    }
    // RFC 8032 §5.1.7 step 1: S must be in range 0 <= S < L.
    if (littleEndian(signature, KEY_LENGTH, false).compareTo(L) >= 0) {
      return Optional.of("signature S is not canonical (S >= L)");
    }
    return Optional.empty();
  }

  /**
   * Refuses a public key that {@link #publicKeyDefect} finds fault with.
   *
   * @throws KeyFormatException naming the defect
   */
  public static void requireStrictPublicKey(byte[] publicKey) {
    Optional<String> defect = publicKeyDefect(publicKey);
    if (defect.isPresent()) {
      throw new KeyFormatException(defect.get());
    }
  }

  private static Optional<String> pointDefect(byte[] bytes, int offset) {
    boolean xOdd = (bytes[offset + KEY_LENGTH - 1] & 0x80) != 0;
    BigInteger y = littleEndian(bytes, offset, true);
    // RFC 8032 §5.1.3 step 1: y must be below p.
    if (y.compareTo(P) >= 0) {
      return Optional.of("is not a canonical encoding (y >= p)");
    }
    // Step 2: x^2 = (y^2 - 1) / (d y^2 + 1) must be a square.
    BigInteger y2 = y.multiply(y).mod(P);
    BigInteger u = y2.subtract(BigInteger.ONE).mod(P);
    BigInteger v = D.multiply(y2).add(BigInteger.ONE).mod(P);
    BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
    if (x2.signum() != 0
        && !x2.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(BigInteger.ONE)) {
      return Optional.of("is not a point on the curve");
    }
    // Step 4: x = 0 has no negative, so the sign bit set with x = 0 is a second encoding.
    if (x2.signum() == 0 && xOdd) {
      return Optional.of("is not a canonical encoding (x = 0 with the sign bit set)");
    }
    if (SMALL_ORDER_Y.contains(y)) {
      return Optional.of("is a point of small order (it would verify forged signatures)");
    }
    return Optional.empty();
  }

  // A little-endian 32-byte integer, optionally without its top bit (the sign of x).
  private static BigInteger littleEndian(byte[] bytes, int offset, boolean clearTopBit) {
    byte[] bigEndian = new byte[KEY_LENGTH];
    for (int i = 0; i < KEY_LENGTH; i++) {
      bigEndian[i] = bytes[offset + KEY_LENGTH - 1 - i];
    }
    if (clearTopBit) {
      bigEndian[0] &= 0x7f;
    }
    return new BigInteger(1, bigEndian);
  }
}
