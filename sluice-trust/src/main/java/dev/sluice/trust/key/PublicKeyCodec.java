package dev.sluice.trust.key;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Converts public keys between JCA objects and their TUF and binary encodings. */
final class PublicKeyCodec {
  // RFC 8410 §4: SubjectPublicKeyInfo of an Ed25519 key is this fixed 12-byte header + 32 bytes.
  private static final byte[] ED25519_SPKI_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");
  private static final int ED25519_KEY_LENGTH = 32;
  private static final Pattern LOWER_HEX_64 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern PEM =
      Pattern.compile(
          "\\s*-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]*)-----END PUBLIC KEY-----\\s*");
  private static final ECParameterSpec P256 = p256();

  private PublicKeyCodec() {}

  /** The value of TUF {@code keyval.public} for a key. */
  static String toTufPublic(KeyScheme scheme, PublicKey key) {
    byte[] bytes = toBytes(scheme, key);
    return switch (scheme) {
      case ED25519 -> HexFormat.of().formatHex(bytes);
      case ECDSA_P256 -> toPem(bytes);
    };
  }

  static PublicKey fromTufPublic(KeyScheme scheme, String value) {
    return switch (scheme) {
      case ED25519 -> {
        if (!LOWER_HEX_64.matcher(value).matches()) {
          throw new KeyFormatException(
              "an ed25519 public key is 64 lowercase hex characters (32 bytes)");
        }
        yield fromBytes(scheme, HexFormat.of().parseHex(value));
      }
      case ECDSA_P256 -> fromBytes(scheme, fromPem(value));
    };
  }

  /** Raw 32 bytes for Ed25519, DER SubjectPublicKeyInfo for ECDSA. */
  static byte[] toBytes(KeyScheme scheme, PublicKey key) {
    byte[] spki = key.getEncoded();
    return switch (scheme) {
      case ED25519 -> {
        if (spki.length != ED25519_SPKI_PREFIX.length + ED25519_KEY_LENGTH
            || !Arrays.equals(
                spki,
                0,
                ED25519_SPKI_PREFIX.length,
                ED25519_SPKI_PREFIX,
                0,
                ED25519_SPKI_PREFIX.length)) {
          throw new KeyFormatException("not an Ed25519 SubjectPublicKeyInfo");
        }
        yield Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX.length, spki.length);
      }
      case ECDSA_P256 -> spki;
    };
  }

  static PublicKey fromBytes(KeyScheme scheme, byte[] bytes) {
    byte[] spki =
        switch (scheme) {
          case ED25519 -> {
            if (bytes.length != ED25519_KEY_LENGTH) {
              throw new KeyFormatException(
                  "an ed25519 public key is 32 bytes, got " + bytes.length);
            }
            Ed25519Encodings.requireStrictPublicKey(bytes);
            byte[] encoded =
                Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + ED25519_KEY_LENGTH);
            System.arraycopy(bytes, 0, encoded, ED25519_SPKI_PREFIX.length, ED25519_KEY_LENGTH);
            yield encoded;
          }
          case ECDSA_P256 -> bytes;
        };
    PublicKey key;
    try {
      key =
          KeyFactory.getInstance(scheme.jcaKeyAlgorithm())
              .generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeyFormatException("invalid " + scheme.cliName() + " public key", e);
    }
    if (scheme == KeyScheme.ECDSA_P256) {
      requireP256(key);
    }
    return key;
  }

  private static void requireP256(PublicKey key) {
    if (!(key instanceof ECPublicKey ec)) {
      throw new KeyFormatException("not an EC public key");
    }
    ECParameterSpec params = ec.getParams();
    if (!params.getCurve().equals(P256.getCurve())
        || !params.getGenerator().equals(P256.getGenerator())
        || !params.getOrder().equals(P256.getOrder())
        || params.getCofactor() != P256.getCofactor()) {
      throw new KeyFormatException("ECDSA key is not on curve P-256 (secp256r1)");
    }
    requireOnCurve(ec.getW(), params.getCurve());
  }

  // SEC 1 §3.2.2.1 public key validation (cofactor 1, so on-curve and not infinity suffice):
  // checked here rather than trusting every provider to do it before a point is used.
  private static void requireOnCurve(ECPoint w, EllipticCurve curve) {
    if (w == null || ECPoint.POINT_INFINITY.equals(w)) {
      throw new KeyFormatException("ECDSA public key is the point at infinity");
    }
    BigInteger p = ((ECFieldFp) curve.getField()).getP();
    BigInteger x = w.getAffineX();
    BigInteger y = w.getAffineY();
    if (x.signum() < 0 || x.compareTo(p) >= 0 || y.signum() < 0 || y.compareTo(p) >= 0) {
      throw new KeyFormatException("ECDSA public key coordinates are not below the field prime");
    }
    BigInteger left = y.multiply(y).mod(p);
    BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
    if (!left.equals(right)) {
      throw new KeyFormatException("ECDSA public key is not a point on curve P-256");
    }
  }

  // The PEM layout of Python's cryptography / OpenSSL: 64-column base64 lines, final newline.
  private static String toPem(byte[] spki) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(spki);
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  private static byte[] fromPem(String pem) {
    Matcher m = PEM.matcher(pem);
    if (!m.matches()) {
      throw new KeyFormatException(
          "an ecdsa public key is a PEM \"BEGIN PUBLIC KEY\" (SubjectPublicKeyInfo) block");
    }
    try {
      return Base64.getMimeDecoder().decode(m.group(1));
    } catch (IllegalArgumentException e) {
      throw new KeyFormatException("PEM public key holds invalid base64", e);
    }
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform provides P-256", e);
    }
  }
}
