package dev.sluice.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class SizesProperties {
  @Property
  void aNumberOfBytesParsesToItself(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long n) {
    assertThat(Sizes.parse(Long.toString(n))).isEqualTo(n);
  }

  @Property
  void binaryUnitsMultiplyExactly(@ForAll @LongRange(min = 1, max = 1 << 20) long n) {
    assertThat(Sizes.parse(n + "KiB")).isEqualTo(n << 10);
    assertThat(Sizes.parse(n + "MiB")).isEqualTo(n << 20);
    assertThat(Sizes.parse(n + "GiB")).isEqualTo(n << 30);
  }

  @Property
  void formattedSizesAreWithinATenthOfTheirUnit(
      @ForAll @LongRange(min = 1, max = 1L << 50) long n) {
    String[] parts = Sizes.format(n).split(" ");
    double shown = Double.parseDouble(parts[0]);
    long unit =
        switch (parts[1]) {
          case "B" -> 1L;
          case "KiB" -> 1L << 10;
          case "MiB" -> 1L << 20;
          case "GiB" -> 1L << 30;
          default -> 1L << 40;
        };
    assertThat(Math.abs(shown * unit - n)).isLessThanOrEqualTo(0.05 * unit + 0.5);
  }
}
