package dev.sluice.server.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the server's {@link PeriodicJob}s, each on its own thread ({@code sluice-job-NAME}) so that
 * a slow job (a large rollout stage) never holds up another (the last-seen flush). A run that
 * throws is logged with the job's name and the job runs again after its period: a failure never
 * stops a job. {@link #close()} stops scheduling and lets a run in progress finish its transaction
 * (up to {@link #STOP_TIMEOUT_SECONDS} s each).
 */
public final class Jobs implements AutoCloseable {
  static final long STOP_TIMEOUT_SECONDS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

  private final List<Running> running = new ArrayList<>();
  private boolean closed;

  private record Running(PeriodicJob job, ScheduledExecutorService executor) {}

  /** Starts running {@code job}. */
  public synchronized Jobs start(PeriodicJob job) {
    if (closed) {
      throw new IllegalStateException("the jobs are stopped; cannot start " + job.name());
    }
    if (running.stream().anyMatch(r -> r.job().name().equals(job.name()))) {
      throw new IllegalArgumentException("a job named " + job.name() + " already runs");
    }
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("sluice-job-" + job.name()).daemon().factory());
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.scheduleWithFixedDelay(
        () -> runLogged(job),
        job.initialDelay().toNanos(),
        job.period().toNanos(),
        TimeUnit.NANOSECONDS);
    running.add(new Running(job, executor));
    return this;
  }

  /** The names of the jobs started, in order. */
  public synchronized List<String> names() {
    return running.stream().map(r -> r.job().name()).toList();
  }

  /**
   * Runs one job's task once, logging what it throws. A periodic executor stops a task for good
   * when it throws; catching here is what keeps a job alive after a failed run.
   */
  static void runLogged(PeriodicJob job) {
    try {
      job.task().run();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (RuntimeException | Error e) {
      LOG.error("job {} failed; it runs again in {}", job.name(), job.period(), e);
    }
  }

  /**
   * Stops every job, newest first, each after its run in progress (if any) has finished; then runs
   * once more those that {@link PeriodicJob#runsOnClose() run on close}.
   */
  @Override
  public synchronized void close() {
    closed = true;
    for (Running r : running.reversed()) {
      r.executor().shutdown();
    }
    for (Running r : running.reversed()) {
      try {
        if (!r.executor().awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          LOG.warn(
              "job {} did not finish within {} s; interrupting it",
              r.job().name(),
              STOP_TIMEOUT_SECONDS);
          r.executor().shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        r.executor().shutdownNow();
      }
    }
    for (Running r : running.reversed()) {
      if (r.job().runsOnClose()) {
        runLogged(r.job());
      }
    }
  }
}
