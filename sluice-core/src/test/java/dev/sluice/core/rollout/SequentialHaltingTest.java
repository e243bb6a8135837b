package dev.sluice.core.rollout;

import static dev.sluice.core.rollout.Rollouts.T0;
import static dev.sluice.core.rollout.Rollouts.percentages;
import static dev.sluice.core.rollout.Rollouts.running;
import static dev.sluice.core.rollout.Rollouts.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sequential test's error rates, by seeded simulation through the {@link RolloutEngine}: stages
 * whose devices fail at the baseline rate must be halted at most about α of the time, even though
 * the engine looks after every single report; a bad release must be halted early in its first
 * stage.
 */
class SequentialHaltingTest {
  static final double P0 = 0.02;
  static final SequentialTestSpec TEST = new SequentialTestSpec(0.01, 0.10, Optional.of(P0));
  // Error threshold 100%: only the sequential test (or total failure) can halt these stages.
  static final Rollout ROLLOUT =
      running(spec(percentages(1, 100, Gate.NONE, 100), Optional.empty(), Optional.of(TEST)), 0)
          .withBaseline(P0);

  /** Reports devices one by one; returns after how many reports the engine halted, or -1. */
  static int reportsUntilHalt(SplittableRandom random, int devices, double failureRate) {
    long succeeded = 0;
    long failed = 0;
    for (int report = 1; report <= devices; report++) {
      if (random.nextDouble() < failureRate) {
        failed++;
      } else {
        succeeded++;
      }
      StageCounters c = new StageCounters(devices, devices - report, succeeded, failed, 0);
      if (RolloutEngine.decide(ROLLOUT, new StageView(c, 0), T0) instanceof Step.Stop stop) {
        assertThat(stop.halt().kind()).isEqualTo(Halt.Kind.SEQUENTIAL_TEST);
        return report;
      }
    }
    return -1;
  }

  @Test
  void stagesFailingAtTheBaselineAreRarelyHalted() {
    SplittableRandom random = new SplittableRandom(20261125);
    int stages = 4000;
    int halted = 0;
    for (int i = 0; i < stages; i++) {
      if (reportsUntilHalt(random, 500, P0) > 0) {
        halted++;
      }
    }
    double rate = (double) halted / stages;
    // Ville's inequality bounds it by α/(1−β) = 1.11%; three standard errors of tolerance.
    double bound = TEST.alpha() / (1 - TEST.beta());
    double tolerance = 3 * Math.sqrt(bound * (1 - bound) / stages);
    System.out.printf(
        "false-halt rate %.4f over %d stages of 500 (bound %.4f)%n", rate, stages, bound);
    assertThat(rate).isLessThanOrEqualTo(TEST.alpha() + tolerance);
  }

  @Test
  void aBadReleaseIsHaltedAfterAHandfulOfReports() {
    SplittableRandom random = new SplittableRandom(7);
    int stages = 2000;
    int[] reports = new int[stages];
    for (int i = 0; i < stages; i++) {
      reports[i] = reportsUntilHalt(random, 100, 0.30);
    }
    assertThat(reports).as("every bad stage is halted").doesNotContain(-1);
    Arrays.sort(reports);
    int median = reports[stages / 2];
    int p95 = reports[stages * 95 / 100];
    System.out.printf(
        "a 30%% failing release: halted after %d reports (median), %d (95th)%n", median, p95);
    assertThat(median).isLessThanOrEqualTo(15);
    assertThat(p95).isLessThanOrEqualTo(40);
  }

  @Test
  void theTestIsTheDocumentedWaldRatio() {
    FailureRateTest test = FailureRateTest.against(P0, TEST);
    assertThat(test.p1()).isEqualTo(0.07, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(test.haltAt()).isEqualTo(Math.log(0.9 / 0.01));
    assertThat(test.logLikelihoodRatio(3, 10))
        .isCloseTo(
            3 * Math.log(0.07 / 0.02) + 10 * Math.log(0.93 / 0.98),
            org.assertj.core.data.Offset.offset(1e-12));
    assertThat(test.halts(4, 0)).isTrue();
    assertThat(test.halts(3, 0)).isFalse();
    // A higher baseline needs more evidence: p1 = 3·p0.
    assertThat(FailureRateTest.alternative(0.10))
        .isEqualTo(0.30, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void theBaselineIsLearnedFromFinishedRolloutsAndShrunkTowardsTheDefault() {
    assertThat(Baseline.of(0, 0)).isEqualTo(Baseline.DEFAULT);
    assertThat(Baseline.of(9_900, 100)).isBetween(0.0100, 0.0105);
    assertThat(Baseline.of(10, 10)).isLessThan(0.07);
    assertThat(Baseline.of(0, 1_000_000)).isEqualTo(Baseline.MAX);
    assertThat(Baseline.of(1_000_000, 0)).isEqualTo(Baseline.MIN);
  }
}
