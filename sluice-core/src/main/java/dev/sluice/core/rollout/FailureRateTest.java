package dev.sluice.core.rollout;

/**
 * Wald's sequential probability ratio test on a stage's Bernoulli outcomes (each device that
 * finished either failed or succeeded), used one-sided: it halts a release whose failure rate is
 * higher than the product's baseline, and never "accepts" (the fixed thresholds keep watching).
 *
 * <p>H0: failure rate = p0 (the baseline); H1: failure rate = p1 = max(3·p0, p0 + 0.05). After f
 * failures and s successes the log-likelihood ratio is
 *
 * <pre>  Λ = f·ln(p1/p0) + s·ln((1−p1)/(1−p0))</pre>
 *
 * and the test halts once Λ ≥ A = ln((1−β)/α). Under H0 the likelihood ratio is a non-negative
 * martingale with mean 1, so by Ville's inequality P(Λ ever reaches A) ≤ e^−A = α/(1−β): the
 * false-halt rate per stage is at most α/(1−β), whenever and however often the stage is evaluated.
 * Λ depends only on the counts, so evaluating it from the stage's counters is exact.
 */
public record FailureRateTest(double p0, double p1, double alpha, double beta) {

  public FailureRateTest {
    if (!(p0 > 0 && p0 < p1 && p1 < 1)) {
      throw new IllegalArgumentException("the test needs 0 < p0 < p1 < 1");
    }
    if (!(alpha > 0 && alpha < 1 && beta > 0 && beta < 1)) {
      throw new IllegalArgumentException("alpha and beta are between 0 and 1");
    }
  }

  /** The test for a baseline p0, with p1 = max(3·p0, p0 + 0.05). */
  public static FailureRateTest against(double p0, SequentialTestSpec spec) {
    return new FailureRateTest(p0, alternative(p0), spec.alpha(), spec.beta());
  }

  /** The failure rate the test is built to detect. */
  public static double alternative(double p0) {
    return Math.min(0.99, Math.max(3 * p0, p0 + 0.05));
  }

  /** A = ln((1−β)/α): the log-likelihood ratio at which the test halts. */
  public double haltAt() {
    return Math.log((1 - beta) / alpha);
  }

  /** Λ after {@code failures} failures and {@code successes} successes. */
  public double logLikelihoodRatio(long failures, long successes) {
    return failures * Math.log(p1 / p0) + successes * Math.log((1 - p1) / (1 - p0));
  }

  /** Whether these outcomes make the test halt. */
  public boolean halts(long failures, long successes) {
    return logLikelihoodRatio(failures, successes) >= haltAt();
  }
}
