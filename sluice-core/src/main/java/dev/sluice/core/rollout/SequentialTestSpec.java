package dev.sluice.core.rollout;

import java.util.Optional;

/**
 * Parameters of the sequential halting test (see {@link FailureRateTest} and docs/rollouts.md).
 *
 * @param alpha the accepted false-halt rate per stage (halting a release that fails no more often
 *     than the baseline)
 * @param beta the accepted rate of missing a release that fails at the alternative rate
 * @param baseline the failure rate p0 to test against; empty: learned from the product's finished
 *     rollouts (see {@link Baseline})
 */
public record SequentialTestSpec(double alpha, double beta, Optional<Double> baseline) {
  public static final SequentialTestSpec DEFAULT =
      new SequentialTestSpec(0.01, 0.10, Optional.empty());

  public SequentialTestSpec {
    if (!(alpha > 0 && alpha < 0.5)) {
      throw new IllegalArgumentException("the sequential test's alpha is between 0 and 0.5");
    }
    if (!(beta > 0 && beta < 0.5)) {
      throw new IllegalArgumentException("the sequential test's beta is between 0 and 0.5");
    }
    baseline.ifPresent(
        p -> {
          if (!(p >= Baseline.MIN && p <= Baseline.MAX)) {
            throw new IllegalArgumentException(
                "a baseline failure rate is between " + Baseline.MIN + " and " + Baseline.MAX);
          }
        });
  }
}
