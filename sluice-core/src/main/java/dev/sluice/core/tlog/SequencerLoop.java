package dev.sluice.core.tlog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Decides when the sequencer runs: at once when an entry is appended ({@link #wake()}), but never
 * sooner than {@code interval} after the previous run that produced a checkpoint, so entries that
 * arrive together share one checkpoint; and otherwise every {@code interval}, to pick up entries
 * that other server instances queued. Runs never overlap.
 */
final class SequencerLoop implements AutoCloseable {
  private final BooleanSupplier step;
  private final Scheduler scheduler;
  private final Clock clock;
  private final Duration interval;
  private final Consumer<RuntimeException> onFailure;

  private Instant lastCheckpoint = Instant.EPOCH;
  private Scheduler.Cancellable scheduled;
  private Instant scheduledAt;
  private boolean running;
  private boolean wokenWhileRunning;
  private boolean started;
  private boolean closed;

  /**
   * @param step runs the sequencer once; true if it produced a new checkpoint
   */
  SequencerLoop(
      BooleanSupplier step,
      Scheduler scheduler,
      Clock clock,
      Duration interval,
      Consumer<RuntimeException> onFailure) {
    this.step = Objects.requireNonNull(step, "step");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the sequencing interval must be positive");
    }
    this.interval = interval;
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
  }

  /** Schedules the first run now. */
  synchronized void start() {
    if (!started && !closed) {
      started = true;
      scheduleAt(clock.instant());
    }
  }

  /** Asks for a run as soon as the batching interval allows. */
  synchronized void wake() {
    if (!started || closed) {
      return;
    }
    if (running) {
      wokenWhileRunning = true;
      return;
    }
    Instant earliest = earliestRun();
    if (scheduledAt == null || earliest.isBefore(scheduledAt)) {
      scheduleAt(earliest);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (scheduled != null) {
      scheduled.cancel();
      scheduled = null;
      scheduledAt = null;
    }
  }

  private void run() {
    Instant startedAt;
    synchronized (this) {
      if (closed || running) {
        return;
      }
      scheduled = null;
      scheduledAt = null;
      startedAt = clock.instant();
      // Compare against the same reading: reading the clock twice would make a fine-grained clock
      // always look "too early" and reschedule the run forever.
      Instant earliest = earliestRun(startedAt);
      if (startedAt.isBefore(earliest)) {
        scheduleAt(earliest);
        return;
      }
      running = true;
      wokenWhileRunning = false;
    }
    boolean advanced = false;
    try {
      advanced = step.getAsBoolean();
    } catch (RuntimeException e) {
      onFailure.accept(e);
    } finally {
      synchronized (this) {
        running = false;
        if (advanced) {
          lastCheckpoint = startedAt;
        }
        if (!closed) {
          Instant poll = clock.instant().plus(interval);
          Instant next = wokenWhileRunning ? earliestRun() : poll;
          scheduleAt(next.isBefore(poll) ? next : poll);
        }
      }
    }
  }

  private Instant earliestRun() {
    return earliestRun(clock.instant());
  }

  private Instant earliestRun(Instant now) {
    Instant allowed = lastCheckpoint.plus(interval);
    return allowed.isAfter(now) ? allowed : now;
  }

  private void scheduleAt(Instant at) {
    if (scheduled != null) {
      scheduled.cancel();
    }
    Duration delay = Duration.between(clock.instant(), at);
    scheduledAt = at;
    scheduled = scheduler.schedule(this::run, delay.isNegative() ? Duration.ZERO : delay);
  }
}
