package dev.sluice.server.jobs;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A task the server runs again and again while it is up: a name (for its thread and its log lines),
 * how long to wait before the first run, the pause between the end of one run and the start of the
 * next, the work itself, and whether it runs once more when the jobs stop (to write what it holds
 * in memory). Runs of one job never overlap.
 */
public record PeriodicJob(
    String name, Duration initialDelay, Duration period, Runnable task, boolean runsOnClose) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,40}");

  public PeriodicJob {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a job name is 1-41 lower-case letters, digits or '-', starting with a letter: " + name);
    }
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(task, "task");
    if (initialDelay.isNegative()) {
      throw new IllegalArgumentException("the first run of " + name + " cannot be in the past");
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("the period of " + name + " must be positive");
    }
  }

  /** A job whose first run comes one period after the server starts. */
  public static PeriodicJob every(Duration period, String name, Runnable task) {
    return new PeriodicJob(name, period, period, task, false);
  }

  /** This job with its first run after {@code delay} instead. */
  public PeriodicJob firstAfter(Duration delay) {
    return new PeriodicJob(name, delay, period, task, runsOnClose);
  }

  /** This job, run once more when the jobs stop (after its last periodic run has finished). */
  public PeriodicJob alsoOnClose() {
    return new PeriodicJob(name, initialDelay, period, task, true);
  }
}
