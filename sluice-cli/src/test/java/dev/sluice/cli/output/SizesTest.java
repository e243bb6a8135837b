package dev.sluice.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {
  @Test
  void plainNumbersAreBytes() {
    assertThat(Sizes.parse("1048576")).isEqualTo(1_048_576L);
    assertThat(Sizes.parse("17B")).isEqualTo(17L);
  }

  @Test
  void binaryUnitsArePowersOf1024() {
    assertThat(Sizes.parse("4GiB")).isEqualTo(4L << 30);
    assertThat(Sizes.parse("512MiB")).isEqualTo(512L << 20);
    assertThat(Sizes.parse("3 KiB")).isEqualTo(3L << 10);
    assertThat(Sizes.parse("2TiB")).isEqualTo(2L << 40);
  }

  @Test
  void decimalUnitsArePowersOf1000() {
    assertThat(Sizes.parse("100MB")).isEqualTo(100_000_000L);
    assertThat(Sizes.parse("2GB")).isEqualTo(2_000_000_000L);
  }

  @Test
  void unitsAreCaseInsensitive() {
    assertThat(Sizes.parse("4gib")).isEqualTo(Sizes.parse("4GIB")).isEqualTo(4L << 30);
  }

  @Test
  void garbageFractionsAndUnknownUnitsAreRefusedWithAHint() {
    assertThatThrownBy(() -> Sizes.parse("lots")).hasMessageContaining("4GiB");
    assertThatThrownBy(() -> Sizes.parse("1.5GiB")).hasMessageContaining("not a size");
    assertThatThrownBy(() -> Sizes.parse("3XB")).hasMessageContaining("unknown size unit");
    assertThatThrownBy(() -> Sizes.parse("-1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void zeroAndOverflowAreRefused() {
    assertThatThrownBy(() -> Sizes.parse("0")).hasMessageContaining("positive");
    assertThatThrownBy(() -> Sizes.parse("9999999999TiB")).hasMessageContaining("too large");
    assertThatThrownBy(() -> Sizes.parse("99999999999999999999"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void formattingPicksTheLargestWholeBinaryUnit() {
    assertThat(Sizes.format(17)).isEqualTo("17 B");
    assertThat(Sizes.format(4L << 30)).isEqualTo("4 GiB");
    assertThat(Sizes.format(1536 * 1024)).isEqualTo("1.5 MiB");
  }
}
