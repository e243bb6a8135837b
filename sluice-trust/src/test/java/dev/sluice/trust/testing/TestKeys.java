package dev.sluice.trust.testing;

import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Keys for tests, generated in code. Other modules use this through the {@code sluice-trust}
 * test-jar.
 */
public final class TestKeys {
  /** RFC 8032 §7.1 TEST 1: Ed25519 secret key (the 32-byte seed). */
  public static final String RFC8032_TEST1_SEED =
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

  /** RFC 8032 §7.1 TEST 1: the matching public key. */
  public static final String RFC8032_TEST1_PUBLIC =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

  // RFC 8410 §7: PKCS#8 (OneAsymmetricKey v1) header of an Ed25519 private key; the seed follows.
  private static final String ED25519_PKCS8_PREFIX = "302e020100300506032b657004220420";

  private TestKeys() {}

  /** A fresh random Ed25519 key. */
  public static SigningKey ed25519() {
    return SigningKey.generate(KeyScheme.ED25519);
  }

  /** A fresh random ECDSA P-256 key. */
  public static SigningKey ecdsaP256() {
    return SigningKey.generate(KeyScheme.ECDSA_P256);
  }

  /** A fresh random key of the scheme. */
  public static SigningKey generate(KeyScheme scheme) {
    return SigningKey.generate(scheme);
  }

  /** {@code count} distinct fresh keys of the scheme, for M-of-N threshold tests. */
  public static List<SigningKey> generate(KeyScheme scheme, int count) {
    return IntStream.range(0, count).mapToObj(i -> SigningKey.generate(scheme)).toList();
  }

  /**
   * The RFC 8032 TEST 1 key: always the same, so its key id and signatures (Ed25519 is
   * deterministic) can appear in golden files. Never use it for anything but tests.
   */
  public static SigningKey fixedEd25519() {
    VerificationKey publicKey =
        VerificationKey.fromPublicKeyBytes(
            KeyScheme.ED25519, HexFormat.of().parseHex(RFC8032_TEST1_PUBLIC));
    return SigningKey.fromPkcs8(
        publicKey, HexFormat.of().parseHex(ED25519_PKCS8_PREFIX + RFC8032_TEST1_SEED));
  }
}
