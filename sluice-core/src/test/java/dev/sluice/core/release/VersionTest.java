package dev.sluice.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.manifest.Version;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "14",
        "2026.11",
        "14.2.0",
        "1.2.3.4",
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-0.3.7",
        "1.0.0-x.7.z.92",
        "1.0.0-x-y-z.--",
        "1.0.0+20130313144700",
        "1.0.0-beta+exp.sha.5114f85",
        "1.0.0+21AF26D3----117B344092BD",
        "14-rc.1",
        "1.0.0+001"
      })
  void acceptsNumericComponentsWithSemverPreReleaseAndBuild(String text) {
    assertThat(Version.parse(text).value()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "v1",
        "01",
        "1.02",
        "1.",
        ".1",
        "1..2",
        "1.2.3-",
        "1.2.3-01",
        "1.2.3-a..b",
        "1.2.3+",
        "1.2.3+a..b",
        "1.2 ",
        " 1.2",
        "1.2\n",
        "1.2-β",
        "1,2",
        "-1"
      })
  void rejectsMalformedVersions(String text) {
    assertThatThrownBy(() -> Version.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version");
  }

  @Test
  void rejectsVersionsLongerThan64Characters() {
    String longest = "1." + "0.".repeat(30) + "12";
    assertThat(longest).hasSize(64);
    assertThat(Version.parse(longest).value()).isEqualTo(longest);
    assertThatThrownBy(() -> Version.parse(longest + "3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 64 characters");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> new Version(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ordersLikeTheSemverSpecificationExample() {
    // SemVer 2.0.0 §11.4's own example, in ascending order.
    List<String> ascending =
        List.of(
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0");
    List<Version> shuffled = new ArrayList<>(ascending.stream().map(Version::parse).toList());
    Collections.reverse(shuffled);
    Collections.sort(shuffled);
    assertThat(shuffled).extracting(Version::value).containsExactlyElementsOf(ascending);
  }

  @Test
  void comparesComponentsNumericallyNotAsText() {
    assertThat(Version.parse("14.10").isNewerThan(Version.parse("14.9"))).isTrue();
    assertThat(Version.parse("2026.11").isNewerThan(Version.parse("2026.2"))).isTrue();
    assertThat(
            Version.parse("99999999999999999999999.1")
                .isNewerThan(Version.parse("9999999999999999999999.1")))
        .isTrue();
  }

  @Test
  void missingComponentsCountAsZero() {
    assertThat(Version.parse("1.2").compareTo(Version.parse("1.2.0"))).isZero();
    assertThat(Version.parse("1.2").compareTo(Version.parse("1.2.0.0.0"))).isZero();
    assertThat(Version.parse("1.2").compareTo(Version.parse("1.2.0.1"))).isNegative();
    assertThat(Version.parse("1.2")).isNotEqualTo(Version.parse("1.2.0"));
  }

  @Test
  void buildMetadataDoesNotAffectPrecedence() {
    assertThat(Version.parse("1.0.0+a").compareTo(Version.parse("1.0.0+b"))).isZero();
    assertThat(Version.parse("1.0.0-rc.1+x").compareTo(Version.parse("1.0.0"))).isNegative();
  }

  @Test
  void preReleaseIsLowerThanItsRelease() {
    assertThat(Version.parse("14.2.0-rc.1").compareTo(Version.parse("14.2.0"))).isNegative();
    assertThat(Version.parse("14.2-rc.1").compareTo(Version.parse("14.1.9"))).isPositive();
  }

  @Test
  void exposesItsParts() {
    Version v = Version.parse("14.2.0-rc.1+build.7");
    assertThat(v.numericComponents()).containsExactly("14", "2", "0");
    assertThat(v.preRelease()).containsExactly("rc", "1");
    assertThat(v.buildMetadata()).isEqualTo("build.7");
    assertThat(v.isPreRelease()).isTrue();
    assertThat(v).hasToString("14.2.0-rc.1+build.7");
  }
}
