package dev.sluice.core.rollout;

/**
 * The product's baseline failure rate p0: what fraction of devices fail an ordinary release.
 *
 * <p>It is learned from the product's finished rollouts, shrunk towards a default so that a product
 * with few rollouts behind it is not judged on a handful of devices: p0 = (failed + k·d) /
 * (succeeded + failed + k) with the default d = {@value #DEFAULT} and k = {@value #PRIOR_WEIGHT}
 * pseudo-devices, clamped to [{@value #MIN}, {@value #MAX}].
 */
public final class Baseline {
  public static final double DEFAULT = 0.02;
  public static final double PRIOR_WEIGHT = 200;
  public static final double MIN = 0.001;
  public static final double MAX = 0.3;

  private Baseline() {}

  /** p0 from the outcomes of the product's finished rollouts. */
  public static double of(long succeeded, long failed) {
    if (succeeded < 0 || failed < 0) {
      throw new IllegalArgumentException("outcome counts are not negative");
    }
    double p = (failed + PRIOR_WEIGHT * DEFAULT) / (succeeded + failed + PRIOR_WEIGHT);
    return Math.min(MAX, Math.max(MIN, p));
  }
}
