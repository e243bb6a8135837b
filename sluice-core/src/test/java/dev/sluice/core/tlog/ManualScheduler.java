package dev.sluice.core.tlog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A clock and a scheduler that move only when a test advances them. Not thread-safe. */
final class ManualScheduler extends Clock implements Scheduler {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final List<Task> tasks = new ArrayList<>();

  private final class Task implements Cancellable {
    final Instant due;
    final Runnable runnable;
    boolean cancelled;

    Task(Instant due, Runnable runnable) {
      this.due = due;
      this.runnable = runnable;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    Task t = new Task(now.plus(delay), task);
    tasks.add(t);
    return t;
  }

  /** Runs every task due now, including tasks they schedule for now. */
  void runDue() {
    while (true) {
      tasks.removeIf(t -> t.cancelled);
      Optional<Task> next =
          tasks.stream()
              .filter(t -> !t.due.isAfter(now))
              .min(Comparator.comparing((Task t) -> t.due));
      if (next.isEmpty()) {
        return;
      }
      tasks.remove(next.get());
      next.get().runnable.run();
    }
  }

  /** Moves time forward and runs what became due. */
  void advance(Duration duration) {
    now = now.plus(duration);
    runDue();
  }

  /** When the next task is due. */
  Optional<Instant> nextDue() {
    return tasks.stream().filter(t -> !t.cancelled).map(t -> t.due).min(Comparator.naturalOrder());
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
