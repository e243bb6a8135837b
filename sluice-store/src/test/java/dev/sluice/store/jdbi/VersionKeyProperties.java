package dev.sluice.store.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.manifest.Version;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Comparing version keys as text orders versions exactly as {@link Version#compareTo} does. */
class VersionKeyProperties {

  @Property(tries = 3000)
  void keyOrderIsPrecedenceOrder(@ForAll("versions") Version a, @ForAll("versions") Version b) {
    int byKey = Integer.signum(VersionKey.of(a).compareTo(VersionKey.of(b)));
    assertThat(byKey).as(a + " vs " + b).isEqualTo(Integer.signum(a.compareTo(b)));
  }

  @Property
  void keysAreAscii(@ForAll("versions") Version v) {
    assertThat(VersionKey.of(v).chars().allMatch(c -> c > ' ' && c < 0x7f)).isTrue();
  }

  @Provide
  Arbitrary<Version> versions() {
    Arbitrary<String> number =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0, 12).map(String::valueOf)),
            net.jqwik.api.Tuple.of(
                1, Arbitraries.longs().between(0, 99_999_999_999L).map(String::valueOf)));
    Arbitrary<String> core = number.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
    Arbitrary<String> alnum =
        Arbitraries.strings()
            .withChars("abAZ-0")
            .ofMinLength(1)
            .ofMaxLength(3)
            .filter(s -> !s.chars().allMatch(Character::isDigit));
    Arbitrary<String> pre =
        Arbitraries.oneOf(number, alnum)
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(l -> "-" + String.join(".", l));
    Arbitrary<String> build =
        Arbitraries.strings().withChars("ab09-").ofMinLength(1).ofMaxLength(4).map(s -> "+" + s);
    return Combinators.combine(core, pre.injectNull(0.5), build.injectNull(0.8))
        .as((c, p, b) -> c + (p == null ? "" : p) + (b == null ? "" : b))
        .filter(s -> s.length() <= Version.MAX_LENGTH)
        .map(Version::parse);
  }
}
