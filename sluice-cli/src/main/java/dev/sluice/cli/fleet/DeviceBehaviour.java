package dev.sluice.cli.fleet;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The choices that make one simulated device differ from another, all drawn from the fleet's seed
 * and the device's index so that a run can be repeated: whether its installations fail (at the
 * fleet's rate, or at a version's own rate), when it first polls, and the jitter of each interval
 * (±10%, so that polls do not synchronise).
 */
final class DeviceBehaviour {
  private static final double JITTER = 0.1;

  private final SplittableRandom random;
  private final double failureDraw;
  private final boolean failing;

  DeviceBehaviour(long seed, int index, double failureRate) {
    this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    // The first draw decides failure, so it does not depend on how long the device runs.
    this.failureDraw = random.nextDouble();
    this.failing = failsAt(failureRate);
  }

  /**
   * Whether this device fails installations that fail on a share {@code rate} of the fleet. One
   * draw decides every rate, so a device failing at a lower rate also fails at every higher one.
   */
  boolean failsAt(double rate) {
    return failureDraw < rate;
  }

  /** Whether this device reports every installation as failed. */
  boolean failing() {
    return failing;
  }

  /** When to poll first: anywhere within the first interval, to spread the fleet's load. */
  Duration firstPoll(Duration interval) {
    return Duration.ofNanos((long) (interval.toNanos() * random.nextDouble()));
  }

  /** The interval with jitter. */
  Duration jittered(Duration interval) {
    double factor = 1 - JITTER + 2 * JITTER * random.nextDouble();
    return Duration.ofNanos((long) (interval.toNanos() * factor));
  }
}
