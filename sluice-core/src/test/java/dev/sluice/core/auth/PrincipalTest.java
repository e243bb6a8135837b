package dev.sluice.core.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.product.CertifierId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrincipalTest {
  @Test
  void certifierPrincipalMustBeBoundToOneCertifier() {
    assertThatThrownBy(() -> new Principal("x", Role.CERTIFIER, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Principal("x", Role.ADMIN, Optional.of(new CertifierId("lab"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void requireRefusesOtherRolesWithAReadableMessage() {
    Principal auditor = new Principal("audit", Role.AUDITOR, Optional.empty());
    assertThatCode(() -> auditor.require(Role.AUDITOR, Role.ADMIN)).doesNotThrowAnyException();
    assertThatThrownBy(() -> auditor.require(Role.ADMIN, Role.RELEASE_MANAGER))
        .isInstanceOf(SluiceException.Forbidden.class)
        .hasMessageContaining("auditor")
        .hasMessageContaining("release-manager");
  }

  @Test
  void rolesRoundTripTheirWireNames() {
    for (Role role : Role.values()) {
      org.assertj.core.api.Assertions.assertThat(Role.fromWire(role.wireName())).isEqualTo(role);
    }
  }
}
