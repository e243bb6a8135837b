package dev.sluice.trust.key;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.testing.TestKeys;
import java.util.Arrays;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class SignatureProperties {
  private static final SigningKey ED25519 = TestKeys.ed25519();
  private static final SigningKey ECDSA = TestKeys.ecdsaP256();

  @Property(tries = 300)
  void aSignatureVerifiesForItsMessageAndNoOther(
      @ForAll KeyScheme scheme,
      @ForAll @Size(max = 256) byte[] message,
      @ForAll @Size(max = 256) byte[] other) {
    Assume.that(!Arrays.equals(message, other));
    SigningKey key = scheme == KeyScheme.ED25519 ? ED25519 : ECDSA;
    byte[] signature = key.sign(message);

    assertThatCode(() -> key.verificationKey().verify(message, signature))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> key.verificationKey().verify(other, signature))
        .isInstanceOf(SignatureVerificationException.class);
  }
}
