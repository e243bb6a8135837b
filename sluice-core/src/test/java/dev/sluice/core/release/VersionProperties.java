package dev.sluice.core.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.manifest.Version;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class VersionProperties {

  @Property
  void parsingTheTextOfAVersionGivesItBack(@ForAll("versions") Version v) {
    assertThat(Version.parse(v.toString())).isEqualTo(v);
  }

  @Property
  void comparisonIsAntisymmetric(@ForAll("versions") Version a, @ForAll("versions") Version b) {
    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
  }

  @Property
  void comparisonIsTransitive(
      @ForAll("versions") Version a, @ForAll("versions") Version b, @ForAll("versions") Version c) {
    List<Version> sorted = new java.util.ArrayList<>(List.of(a, b, c));
    sorted.sort(null);
    assertThat(sorted.get(0).compareTo(sorted.get(2))).isLessThanOrEqualTo(0);
    assertThat(sorted.get(0).compareTo(sorted.get(1))).isLessThanOrEqualTo(0);
    assertThat(sorted.get(1).compareTo(sorted.get(2))).isLessThanOrEqualTo(0);
  }

  @Property
  void versionEqualsItselfInPrecedence(@ForAll("versions") Version v) {
    assertThat(v.compareTo(v)).isZero();
  }

  @Property
  void trailingZeroComponentsAndBuildMetadataDoNotChangePrecedence(@ForAll("versions") Version v) {
    String core = String.join(".", v.numericComponents());
    String pre = v.isPreRelease() ? "-" + String.join(".", v.preRelease()) : "";
    Version padded = Version.parse(core + ".0" + pre + "+other");
    assertThat(padded.compareTo(v)).isZero();
  }

  @Property
  void incrementingAComponentGivesANewerVersion(
      @ForAll("versions") Version v, @ForAll("index") int index) {
    List<String> parts = new java.util.ArrayList<>(v.numericComponents());
    int i = index % parts.size();
    parts.set(i, new java.math.BigInteger(parts.get(i)).add(java.math.BigInteger.ONE).toString());
    Version bumped = Version.parse(String.join(".", parts));
    assertThat(bumped.isNewerThan(v)).isTrue();
  }

  @Provide
  Arbitrary<Integer> index() {
    return Arbitraries.integers().between(0, 10);
  }

  @Provide
  Arbitrary<Version> versions() {
    Arbitrary<String> number =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 3).map(String::valueOf)),
            net.jqwik.api.Tuple.of(
                1, Arbitraries.longs().between(0, 99_999_999_999L).map(String::valueOf)));
    Arbitrary<String> core = number.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
    Arbitrary<String> alnum =
        Arbitraries.strings()
            .withChars("abrc-Z0")
            .ofMinLength(1)
            .ofMaxLength(4)
            .filter(s -> !s.chars().allMatch(Character::isDigit));
    Arbitrary<String> identifier = Arbitraries.oneOf(number, alnum);
    Arbitrary<String> pre =
        identifier.list().ofMinSize(1).ofMaxSize(3).map(l -> "-" + String.join(".", l));
    Arbitrary<String> build =
        Arbitraries.strings().withChars("ab09-").ofMinLength(1).ofMaxLength(5).map(s -> "+" + s);
    return Combinators.combine(core, pre.injectNull(0.4), build.injectNull(0.7))
        .as((c, p, b) -> c + (p == null ? "" : p) + (b == null ? "" : b))
        .filter(s -> s.length() <= Version.MAX_LENGTH)
        .map(Version::parse);
  }
}
