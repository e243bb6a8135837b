package dev.sluice.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReleaseVersionTest {
  private static ReleaseVersion v(String text) {
    return new ReleaseVersion(text);
  }

  @Test
  void numericComponentsCompareAsNumbersAndMissingOnesCountAsZero() {
    assertThat(v("1.10.0").compareTo(v("1.9.9"))).isPositive();
    assertThat(v("1.2").compareTo(v("1.2.0"))).isZero();
    assertThat(v("2026.11").compareTo(v("2026.2.7"))).isPositive();
  }

  @Test
  void preReleasePrecedesTheReleaseAndBuildMetadataIsIgnored() {
    assertThat(v("2.0.0-rc.1").isOlderThan(v("2.0.0"))).isTrue();
    assertThat(v("2.0.0-rc.2").isOlderThan(v("2.0.0-rc.10"))).isTrue();
    assertThat(v("2.0.0-alpha").isOlderThan(v("2.0.0-beta"))).isTrue();
    assertThat(v("2.0.0-1").isOlderThan(v("2.0.0-alpha"))).isTrue();
    assertThat(v("2.0.0+build.7").compareTo(v("2.0.0"))).isZero();
  }

  @Test
  void malformedVersionsAreRefused() {
    for (String bad : new String[] {"", "01.2", "1..2", "v1.2", "1.2-", "1 .2"}) {
      assertThatThrownBy(() -> v(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void policiesParseAndBadOnesNameTheAcceptedForms() {
    assertThat(UpdatePolicy.parse("auto").kind()).isEqualTo(UpdatePolicy.Kind.AUTO);
    assertThat(UpdatePolicy.parse("ask").kind()).isEqualTo(UpdatePolicy.Kind.ASK);
    assertThat(UpdatePolicy.parse("defer:7").deferDays()).isEqualTo(7);
    assertThat(UpdatePolicy.parse("defer:7").toString()).isEqualTo("defer:7");
    for (String bad : new String[] {"defer:0", "defer:366", "defer", "AUTO", "later"}) {
      assertThatThrownBy(() -> UpdatePolicy.parse(bad))
          .as(bad)
          .hasMessageContaining("auto, ask or defer:N");
    }
  }
}
