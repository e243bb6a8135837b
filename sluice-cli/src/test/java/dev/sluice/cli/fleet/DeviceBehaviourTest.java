package dev.sluice.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class DeviceBehaviourTest {
  @Property
  void theSameSeedMakesTheSameDevice(@ForAll long seed, @ForAll @IntRange(min = 0) int index) {
    DeviceBehaviour a = new DeviceBehaviour(seed, index, 0.5);
    DeviceBehaviour b = new DeviceBehaviour(seed, index, 0.5);
    Duration interval = Duration.ofSeconds(300);
    assertThat(a.failing()).isEqualTo(b.failing());
    assertThat(a.firstPoll(interval)).isEqualTo(b.firstPoll(interval));
    assertThat(a.jittered(interval)).isEqualTo(b.jittered(interval));
  }

  @Property
  void rateZeroNeverFailsAndRateOneAlwaysFails(
      @ForAll long seed, @ForAll @IntRange(min = 0) int index) {
    assertThat(new DeviceBehaviour(seed, index, 0).failing()).isFalse();
    assertThat(new DeviceBehaviour(seed, index, 1).failing()).isTrue();
  }

  @Property(tries = 20)
  void aboutTheGivenShareOfAFleetFails(
      @ForAll long seed, @ForAll @DoubleRange(min = 0.05, max = 0.95) double rate) {
    int fleet = 20_000;
    long failing =
        IntStream.range(0, fleet).filter(i -> new DeviceBehaviour(seed, i, rate).failing()).count();
    // Binomial: 5 standard deviations at most 0.0036 of 20,000; allow 0.02.
    assertThat((double) failing / fleet).isCloseTo(rate, org.assertj.core.data.Offset.offset(0.02));
  }

  @Property
  void aDeviceFailingAtOneRateFailsAtEveryHigherRate(
      @ForAll long seed,
      @ForAll @IntRange(min = 0) int index,
      @ForAll @DoubleRange(min = 0, max = 1) double low,
      @ForAll @DoubleRange(min = 0, max = 1) double high) {
    DeviceBehaviour device = new DeviceBehaviour(seed, index, low);
    assertThat(device.failsAt(low)).isEqualTo(device.failing());
    if (device.failsAt(Math.min(low, high))) {
      assertThat(device.failsAt(Math.max(low, high))).isTrue();
    }
  }

  @Property
  void pollsStayWithinTheIntervalAndItsJitter(
      @ForAll long seed, @ForAll @IntRange(min = 0) int index) {
    DeviceBehaviour device = new DeviceBehaviour(seed, index, 0);
    Duration interval = Duration.ofSeconds(300);
    assertThat(device.firstPoll(interval)).isBetween(Duration.ZERO, interval);
    assertThat(device.jittered(interval))
        .isBetween(Duration.ofSeconds(270), Duration.ofSeconds(330));
  }
}
