package dev.sluice.core.tlog;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once after a delay. The server passes {@link #of(ScheduledExecutorService)}; tests
 * pass a scheduler they advance by hand together with their clock, so nothing sleeps.
 */
@FunctionalInterface
public interface Scheduler {
  /** Schedules {@code task}; the handle cancels it if it has not started. */
  Cancellable schedule(Runnable task, Duration delay);

  /** A scheduled task that can still be called off. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  /** A scheduler on a JDK executor (real time). */
  static Scheduler of(ScheduledExecutorService executor) {
    return (task, delay) -> {
      ScheduledFuture<?> future =
          executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    };
  }
}
