package dev.sluice.trust.tuf.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetPathsTest {
  @Test
  void patternsMatchAsTheSpecExamplesSay() {
    // TUF 1.0 §4.6 PATHPATTERN examples.
    assertThat(TargetPaths.patterns("targets/*.tgz").matches("targets/foo.tgz")).isTrue();
    assertThat(TargetPaths.patterns("targets/*.tgz").matches("targets/foo.txt")).isFalse();
    assertThat(TargetPaths.patterns("foo-version-?.tgz").matches("foo-version-2.tgz")).isTrue();
    assertThat(TargetPaths.patterns("foo-version-?.tgz").matches("foo-version-alpha.tgz"))
        .isFalse();
    assertThat(TargetPaths.patterns("*.tgz").matches("foo.tgz")).isTrue();
    assertThat(TargetPaths.patterns("*.tgz").matches("targets/foo.tgz")).isFalse();
    assertThat(TargetPaths.patterns("foo.tgz").matches("foo.tgz")).isTrue();
    assertThat(TargetPaths.patterns("foo.tgz").matches("bar.tgz")).isFalse();
  }

  @Test
  void wildcardsNeverCrossASlash() {
    TargetPaths product = TargetPaths.patterns("product-a/*");

    assertThat(product.matches("product-a/os.img")).isTrue();
    assertThat(product.matches("product-a/")).isTrue();
    assertThat(product.matches("product-a/nested/os.img")).isFalse();
    assertThat(product.matches("product-a")).isFalse();
    assertThat(product.matches("product-ab/os.img")).isFalse();
    assertThat(TargetPaths.patterns("*").matches("a/b")).isFalse();
    assertThat(TargetPaths.patterns("*/*").matches("a/b")).isTrue();
    assertThat(TargetPaths.patterns("a*b*c").matches("aXbYbZc")).isTrue();
    assertThat(TargetPaths.patterns("a*b*c").matches("aXbYbZ")).isFalse();
  }

  @Test
  void anyPatternOfTheListMatches() {
    TargetPaths paths = TargetPaths.patterns("a/*.img", "b/*.img");

    assertThat(paths.matches("b/x.img")).isTrue();
    assertThat(paths.matches("c/x.img")).isFalse();
  }

  @Test
  void characterClassesAreRefused() {
    assertThatThrownBy(() -> TargetPaths.patterns("os-[0-9].img"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hashPrefixesMatchTheSha256OfThePath() {
    String hash = Sha256.of("product-a/os.img".getBytes(StandardCharsets.UTF_8)).hex();
    String other = hash.charAt(0) == '0' ? "1" : "0";

    assertThat(
            new TargetPaths.HashPrefixes(List.of(hash.substring(0, 2))).matches("product-a/os.img"))
        .isTrue();
    assertThat(new TargetPaths.HashPrefixes(List.of(other)).matches("product-a/os.img")).isFalse();
    assertThatThrownBy(() -> new TargetPaths.HashPrefixes(List.of("XY")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
