package dev.sluice.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.token.ApiToken;
import dev.sluice.core.token.TokenId;
import dev.sluice.core.token.TokenLabels;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Token labels cannot pass for the server; token ids are ULIDs; the actor names both. */
class TokenLabelsTest {

  @Test
  void namesThatReadAsTheServerAreReservedInAnyCase() {
    for (String reserved :
        new String[] {"system", "SYSTEM", " server ", "admin", "Root", "sluice", "Sluice-CI"}) {
      assertThatThrownBy(() -> TokenLabels.checkNew(reserved))
          .as(reserved)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("reserved");
    }
  }

  @Test
  void emptyControlAndBidiOverrideLabelsAreRefused() {
    for (String bad : new String[] {"", "   ", "a\nb", "a\u0000b", "bot\u202Emetsys", "x\u2066y"}) {
      assertThatThrownBy(() -> TokenLabels.checkNew(bad))
          .as("%s", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> TokenLabels.checkNew("x".repeat(201)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ordinaryLabelsAreKeptStripped() {
    assertThat(TokenLabels.checkNew(" release-bot ")).isEqualTo("release-bot");
    assertThat(TokenLabels.checkNew("Ops team (EU) ünïcødé")).isEqualTo("Ops team (EU) ünïcødé");
    assertThat(TokenLabels.checkNew("my-system")).isEqualTo("my-system");
  }

  @Test
  void idsAreUlidsThatSortByTimeAndTheActorNamesIdAndLabel() {
    SecureRandom random = new SecureRandom();
    TokenId early = TokenId.generate(Instant.parse("2026-01-01T00:00:00Z"), random);
    TokenId late = TokenId.generate(Instant.parse("2026-12-07T08:00:00Z"), random);
    assertThat(early.value()).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}");
    assertThat(early.value().compareTo(late.value())).isNegative();
    assertThatThrownBy(() -> new TokenId("01JILLEGAL0000000000000000"))
        .isInstanceOf(IllegalArgumentException.class);

    ApiToken token =
        new ApiToken(
            late,
            dev.sluice.trust.hash.Sha256.of(new byte[] {1}),
            Role.OPERATOR,
            Optional.empty(),
            Optional.empty(),
            "system",
            Instant.parse("2026-12-07T08:00:00Z"),
            Optional.of(Instant.parse("2026-12-08T08:00:00Z")),
            Optional.empty());
    assertThat(token.principal().name()).isEqualTo("token:" + late + "(system)");
    assertThat(token.validAt(Instant.parse("2026-12-08T07:59:59Z"))).isTrue();
    assertThat(token.validAt(Instant.parse("2026-12-08T08:00:00Z"))).isFalse();
  }
}
