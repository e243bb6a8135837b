package dev.sluice.server.rollout;

import dev.sluice.core.rollout.RolloutEvaluator;
import dev.sluice.core.tlog.Scheduler;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link RolloutEvaluator} every interval ({@link #INTERVAL} by default) on its own thread
 * (evaluating a large stage may take a while; it must not hold up the log sequencer). Tests call
 * {@link #runOnce()} after advancing their clock instead.
 */
public final class RolloutScheduler implements AutoCloseable {
  public static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(RolloutScheduler.class);

  private final RolloutEvaluator evaluator;
  private final Scheduler scheduler;
  private final Duration interval;
  private Scheduler.Cancellable next;
  private boolean closed;

  public RolloutScheduler(RolloutEvaluator evaluator, Scheduler scheduler) {
    this(evaluator, scheduler, INTERVAL);
  }

  public RolloutScheduler(RolloutEvaluator evaluator, Scheduler scheduler, Duration interval) {
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.interval = Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the evaluation interval must be positive");
    }
  }

  public synchronized void start() {
    if (!closed) {
      next = scheduler.schedule(this::tick, interval);
    }
  }

  /**
   * Evaluates every active rollout once (see {@link RolloutEvaluator#runOnce()}); never at the same
   * time as the periodic run (both claim rollouts under this instance's name).
   */
  public synchronized int runOnce() {
    return evaluator.runOnce();
  }

  private void tick() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      LOG.error("rollout evaluation failed; retrying", e);
    }
    start();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (next != null) {
      next.cancel();
    }
  }
}
