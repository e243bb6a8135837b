package dev.sluice.server.rollout;

import dev.sluice.core.rollout.RolloutEvaluator;
import dev.sluice.server.jobs.PeriodicJob;
import java.time.Duration;
import java.util.Objects;

/**
 * Evaluates the active rollouts (the {@link RolloutEvaluator}) as a periodic job, every {@link
 * #INTERVAL} by default, on its own thread: evaluating a large stage may take a while and must not
 * hold up other jobs. Tests call {@link #runOnce()} after advancing their clock instead.
 */
public final class RolloutJob {
  public static final Duration INTERVAL = Duration.ofSeconds(5);

  private final RolloutEvaluator evaluator;

  public RolloutJob(RolloutEvaluator evaluator) {
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
  }

  /**
   * Evaluates every active rollout once (see {@link RolloutEvaluator#runOnce()}); never at the same
   * time as the periodic run (both claim rollouts under this instance's name).
   */
  public synchronized int runOnce() {
    return evaluator.runOnce();
  }

  /** The periodic job, run every {@code interval}. */
  public PeriodicJob job(Duration interval) {
    return PeriodicJob.every(interval, "rollouts", this::runOnce);
  }
}
