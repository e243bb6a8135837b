package dev.sluice.trust.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeySchemeTest {
  @Test
  void looksUpSchemesByTufNames() {
    assertThat(KeyScheme.fromTuf("ed25519", "ed25519")).isEqualTo(KeyScheme.ED25519);
    assertThat(KeyScheme.fromTuf("ecdsa", "ecdsa-sha2-nistp256")).isEqualTo(KeyScheme.ECDSA_P256);
  }

  @Test
  void looksUpSchemesByCliNames() {
    assertThat(KeyScheme.fromCliName("ed25519")).isEqualTo(KeyScheme.ED25519);
    assertThat(KeyScheme.fromCliName("ecdsa-p256")).isEqualTo(KeyScheme.ECDSA_P256);
  }

  @Test
  void refusesUnsupportedOrMismatchedPairs() {
    assertThatThrownBy(() -> KeyScheme.fromTuf("rsa", "rsassa-pss-sha256"))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("rsa")
        .hasMessageContaining("ed25519/ed25519");
    assertThatThrownBy(() -> KeyScheme.fromTuf("ed25519", "ecdsa-sha2-nistp256"))
        .isInstanceOf(KeyFormatException.class);
    assertThatThrownBy(() -> KeyScheme.fromCliName("ECDSA"))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("ed25519, ecdsa-p256");
  }
}
