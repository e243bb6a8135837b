package dev.sluice.trust.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SigningKeyTest {
  private static final byte[] MESSAGE = "release statement".getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @EnumSource(KeyScheme.class)
  void signatureVerifiesUnderTheMatchingPublicKey(KeyScheme scheme) {
    SigningKey key = TestKeys.generate(scheme);
    byte[] signature = key.sign(MESSAGE);

    assertThatCode(() -> key.verificationKey().verify(MESSAGE, signature))
        .doesNotThrowAnyException();
    assertThat(key.scheme()).isEqualTo(scheme);
    assertThat(key.keyId()).isEqualTo(key.verificationKey().keyId());
  }

  @ParameterizedTest
  @EnumSource(KeyScheme.class)
  void aFlippedBitInTheMessageFailsVerification(KeyScheme scheme) {
    SigningKey key = TestKeys.generate(scheme);
    byte[] signature = key.sign(MESSAGE);
    byte[] altered = MESSAGE.clone();
    altered[3] ^= 0x01;

    assertThatThrownBy(() -> key.verificationKey().verify(altered, signature))
        .isInstanceOf(SignatureVerificationException.class)
        .extracting(e -> ((SignatureVerificationException) e).keyId())
        .isEqualTo(key.keyId());
  }

  @ParameterizedTest
  @EnumSource(KeyScheme.class)
  void aFlippedBitAnywhereInTheSignatureFailsVerification(KeyScheme scheme) {
    SigningKey key = TestKeys.generate(scheme);
    byte[] signature = key.sign(MESSAGE);
    for (int bit = 0; bit < signature.length * 8; bit++) {
      byte[] altered = signature.clone();
      altered[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThatThrownBy(() -> key.verificationKey().verify(MESSAGE, altered))
          .as("bit %d", bit)
          .isInstanceOf(SignatureVerificationException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(KeyScheme.class)
  void aSignatureByAnotherKeyFailsVerification(KeyScheme scheme) {
    SigningKey signer = TestKeys.generate(scheme);
    VerificationKey other = TestKeys.generate(scheme).verificationKey();

    assertThatThrownBy(() -> other.verify(MESSAGE, signer.sign(MESSAGE)))
        .isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining(other.keyId())
        .extracting(e -> ((SignatureVerificationException) e).reason())
        .isNotNull();
  }

  @Test
  void aSignatureOfTheOtherSchemeFailsVerification() {
    byte[] ecdsaSignature = TestKeys.ecdsaP256().sign(MESSAGE);
    byte[] ed25519Signature = TestKeys.ed25519().sign(MESSAGE);
    assertThatThrownBy(() -> TestKeys.ed25519().verificationKey().verify(MESSAGE, ecdsaSignature))
        .isInstanceOf(SignatureVerificationException.class);
    assertThatThrownBy(
            () -> TestKeys.ecdsaP256().verificationKey().verify(MESSAGE, ed25519Signature))
        .isInstanceOf(SignatureVerificationException.class);
  }

  @ParameterizedTest
  @EnumSource(KeyScheme.class)
  void garbageSignatureBytesFailWithATypedException(KeyScheme scheme) {
    VerificationKey key = TestKeys.generate(scheme).verificationKey();
    Random random = new Random(42);
    for (int length : new int[] {0, 1, 10, 63, 64, 65, 70, 71, 72, 200}) {
      byte[] garbage = new byte[length];
      random.nextBytes(garbage);
      assertThatThrownBy(() -> key.verify(MESSAGE, garbage))
          .as("%d random bytes", length)
          .isExactlyInstanceOf(SignatureVerificationException.class);
    }
    byte[] derLookalike = HexFormat.of().parseHex("3006020100020100");
    assertThatThrownBy(() -> key.verify(MESSAGE, derLookalike))
        .isExactlyInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void ed25519SignaturesMatchRfc8032AndOpenSsl() {
    SigningKey key = TestKeys.fixedEd25519();
    // `openssl pkeyutl -sign -rawin` with the RFC 8032 TEST 1 key over the bytes "sluice".
    assertThat(HexFormat.of().formatHex(key.sign("sluice".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo(
            "89a6d0bbd7227b324398d226c17c5d58ea9e5e40e4c66a0de2a77d211c9c6228"
                + "d1090a59a3d14804fe58be6274373baa9115f3c1ee860930a6c320da195b7e0d");
    assertThat(key.verificationKey().publicValue()).isEqualTo(TestKeys.RFC8032_TEST1_PUBLIC);
  }

  @ParameterizedTest
  @EnumSource(KeyScheme.class)
  void exportedPkcs8RestoresAKeyThatSignsForTheSamePublicKey(KeyScheme scheme) {
    SigningKey key = TestKeys.generate(scheme);
    SigningKey restored =
        SigningKey.fromPkcs8(
            key.verificationKey(), key.exportPkcs8(SecretAccess.I_WILL_PROTECT_THIS));

    assertThat(restored.keyId()).isEqualTo(key.keyId());
    assertThatCode(() -> key.verificationKey().verify(MESSAGE, restored.sign(MESSAGE)))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @EnumSource(KeyScheme.class)
  void aPrivateKeyIsRefusedWithSomeoneElsesPublicKey(KeyScheme scheme) {
    byte[] pkcs8 = TestKeys.generate(scheme).exportPkcs8(SecretAccess.I_WILL_PROTECT_THIS);
    VerificationKey other = TestKeys.generate(scheme).verificationKey();

    assertThatThrownBy(() -> SigningKey.fromPkcs8(other, pkcs8))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("does not match public key " + other.keyId());
  }

  @Test
  void aPrivateKeyOfTheWrongSchemeOrGarbageIsRefused() {
    byte[] ecdsaPkcs8 = TestKeys.ecdsaP256().exportPkcs8(SecretAccess.I_WILL_PROTECT_THIS);
    VerificationKey ed25519 = TestKeys.ed25519().verificationKey();
    assertThatThrownBy(() -> SigningKey.fromPkcs8(ed25519, ecdsaPkcs8))
        .isInstanceOf(KeyFormatException.class);
    assertThatThrownBy(() -> SigningKey.fromPkcs8(ed25519, new byte[] {1, 2, 3}))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("PKCS#8");
  }

  @ParameterizedTest
  @EnumSource(KeyScheme.class)
  void toStringNamesTheKeyButNeverItsSecret(KeyScheme scheme) {
    SigningKey key = TestKeys.generate(scheme);
    byte[] pkcs8 = key.exportPkcs8(SecretAccess.I_WILL_PROTECT_THIS);

    assertThat(key.toString())
        .isEqualTo("SigningKey[" + scheme.cliName() + ":" + key.keyId() + "]")
        .doesNotContain(Base64.getEncoder().encodeToString(pkcs8))
        .doesNotContain(HexFormat.of().formatHex(pkcs8, pkcs8.length - 32, pkcs8.length));
  }
}
