package dev.sluice.trust.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.json.CanonicalJson;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

/** Issue 9 §1: keys are checked strictly wherever they enter, signatures too. */
class StrictKeysTest {
  /** The eight Ed25519 points of small order, canonically encoded (RFC 8032 §5.1.2). */
  static final List<String> SMALL_ORDER_POINTS =
      List.of(
          "0100000000000000000000000000000000000000000000000000000000000000", // identity
          "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // order 2
          "0000000000000000000000000000000000000000000000000000000000000000", // order 4
          "0000000000000000000000000000000000000000000000000000000000000080", // order 4
          "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
          "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", // order 8
          "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
          "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"); // order 8

  /** Encodings that are not canonical: y >= p, or x = 0 with its sign bit set. */
  static final List<String> NON_CANONICAL_POINTS =
      List.of(
          "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p
          "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p + 1
          "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = 2^255 - 1
          "0100000000000000000000000000000000000000000000000000000000000080", // -0 identity
          "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"); // -0, order 2

  @ParameterizedTest
  @FieldSource("SMALL_ORDER_POINTS")
  void eachListedPointReallyHasSmallOrder(String hex) {
    // Independent of the code under test: 8 * P is the identity, by affine Edwards addition.
    BigInteger[] point = Edwards.decode(HexFormat.of().parseHex(hex));
    BigInteger[] sum = point;
    for (int i = 0; i < 3; i++) {
      sum = Edwards.add(sum, sum);
    }
    assertThat(sum).containsExactly(BigInteger.ZERO, BigInteger.ONE);
  }

  @ParameterizedTest
  @FieldSource("SMALL_ORDER_POINTS")
  void smallOrderEd25519KeysAreRefusedWithAClearMessage(String hex) {
    byte[] raw = HexFormat.of().parseHex(hex);

    assertThatThrownBy(() -> VerificationKey.fromPublicKeyBytes(KeyScheme.ED25519, raw))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("small order");
    assertThatThrownBy(() -> VerificationKey.fromTufJson(tufKey(hex)))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("small order");
  }

  @ParameterizedTest
  @FieldSource("NON_CANONICAL_POINTS")
  void nonCanonicalEd25519KeysAreRefused(String hex) {
    assertThatThrownBy(() -> VerificationKey.fromTufJson(tufKey(hex)))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("not a canonical encoding");
  }

  @Test
  void anEd25519KeyOffTheCurveIsRefused() {
    // y = 2: (y^2 - 1) / (d y^2 + 1) is not a square mod p.
    String hex = "02" + "00".repeat(31);
    assertThatThrownBy(() -> VerificationKey.fromTufJson(tufKey(hex)))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("not a point on the curve");
  }

  @ParameterizedTest
  @FieldSource("SMALL_ORDER_POINTS")
  void aSignatureMadeWithoutAPrivateKeyIsRefused(String hex) {
    // The issue's attack: R a small-order point, S = 0. Checked against a real key.
    VerificationKey key = SigningKey.generate(KeyScheme.ED25519).verificationKey();
    byte[] forged = Arrays.copyOf(HexFormat.of().parseHex(hex), 64);

    assertThatThrownBy(() -> key.verify("release".getBytes(), forged))
        .isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("signature R is a point of small order");
  }

  @Test
  void theAllZeroKeyAndIdentitySignatureOfTheIssueAreBothRefused() {
    String zeroKey = "00".repeat(32);
    assertThatThrownBy(() -> VerificationKey.fromTufJson(tufKey(zeroKey)))
        .isInstanceOf(KeyFormatException.class)
        .hasMessage(
            "ed25519 public key is a point of small order (it would verify forged signatures)");
  }

  // RFC 8032 §7.1 TEST 1 to 3: public key, message, signature.
  @ParameterizedTest
  @CsvSource({
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a, '',"
        + " e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c, 72,"
        + " 92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025, af82,"
        + " 6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
  })
  void rfc8032VectorsVerify(String publicKey, String message, String signature) {
    VerificationKey key = VerificationKey.fromTufJson(tufKey(publicKey));
    byte[] msg = HexFormat.of().parseHex(message == null ? "" : message);
    byte[] sig = HexFormat.of().parseHex(signature);

    assertThatCode(() -> key.verify(msg, sig)).doesNotThrowAnyException();
    byte[] altered = Arrays.copyOf(msg, msg.length + 1);
    assertThatThrownBy(() -> key.verify(altered, sig))
        .isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void aNonCanonicalSIsRefused() {
    VerificationKey key =
        VerificationKey.fromTufJson(
            tufKey("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    byte[] sig =
        HexFormat.of()
            .parseHex(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                    + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    // S + L is the same scalar mod L: a lenient verifier accepts this second form.
    BigInteger s = Edwards.littleEndian(Arrays.copyOfRange(sig, 32, 64));
    byte[] malleated = Arrays.copyOf(sig, 64);
    System.arraycopy(Edwards.toLittleEndian(s.add(Ed25519Encodings.L)), 0, malleated, 32, 32);

    assertThatThrownBy(() -> key.verify(new byte[0], malleated))
        .isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("S is not canonical");
  }

  @Test
  void anEcdsaKeyOffTheP256CurveIsRefused() {
    VerificationKey good = SigningKey.generate(KeyScheme.ECDSA_P256).verificationKey();
    byte[] spki = good.publicKeyBytes();
    // The SubjectPublicKeyInfo ends with the uncompressed point 04 || X || Y; move Y off the curve.
    spki[spki.length - 1] ^= 0x01;

    assertThatThrownBy(() -> VerificationKey.fromPublicKeyBytes(KeyScheme.ECDSA_P256, spki))
        .isInstanceOf(KeyFormatException.class);
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(spki)
            + "\n-----END PUBLIC KEY-----\n";
    var json = CanonicalJson.mapper().createObjectNode();
    json.put("keytype", "ecdsa").put("scheme", "ecdsa-sha2-nistp256");
    json.putObject("keyval").put("public", pem);
    assertThatThrownBy(() -> VerificationKey.fromTufJson(json))
        .isInstanceOf(KeyFormatException.class);
  }

  @Test
  void aValidEcdsaKeyIsStillAccepted() {
    VerificationKey good = SigningKey.generate(KeyScheme.ECDSA_P256).verificationKey();
    assertThat(VerificationKey.fromTufJson(good.toTufJson())).isEqualTo(good);
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode tufKey(String hex) {
    var json = CanonicalJson.mapper().createObjectNode();
    json.put("keytype", "ed25519").put("scheme", "ed25519");
    json.putObject("keyval").put("public", hex);
    return json;
  }

  /** Textbook affine arithmetic on edwards25519, for checking the test's own constants. */
  static final class Edwards {
    static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    static final BigInteger D =
        BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);

    static BigInteger[] decode(byte[] encoded) {
      boolean odd = (encoded[31] & 0x80) != 0;
      byte[] copy = encoded.clone();
      copy[31] &= 0x7f;
      BigInteger y = littleEndian(copy);
      BigInteger y2 = y.multiply(y);
      BigInteger x2 =
          y2.subtract(BigInteger.ONE).multiply(D.multiply(y2).add(BigInteger.ONE).modInverse(P));
      x2 = x2.mod(P);
      BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
      if (!x.multiply(x).mod(P).equals(x2)) {
        x = x.multiply(BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P)).mod(P);
      }
      if (x.testBit(0) != odd) {
        x = P.subtract(x).mod(P);
      }
      return new BigInteger[] {x, y};
    }

    static BigInteger[] add(BigInteger[] a, BigInteger[] b) {
      BigInteger t = D.multiply(a[0]).multiply(b[0]).multiply(a[1]).multiply(b[1]).mod(P);
      BigInteger x = a[0].multiply(b[1]).add(a[1].multiply(b[0]));
      BigInteger y = a[1].multiply(b[1]).add(a[0].multiply(b[0]));
      return new BigInteger[] {
        x.multiply(BigInteger.ONE.add(t).modInverse(P)).mod(P),
        y.multiply(BigInteger.ONE.subtract(t).mod(P).modInverse(P)).mod(P)
      };
    }

    static BigInteger littleEndian(byte[] bytes) {
      byte[] be = new byte[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        be[i] = bytes[bytes.length - 1 - i];
      }
      return new BigInteger(1, be);
    }

    static byte[] toLittleEndian(BigInteger value) {
      byte[] out = new byte[32];
      byte[] be = value.toByteArray();
      for (int i = 0; i < be.length && i < 33; i++) {
        int target = be.length - 1 - i;
        if (i < 32) {
          out[i] = be[target];
        }
      }
      return out;
    }
  }
}
