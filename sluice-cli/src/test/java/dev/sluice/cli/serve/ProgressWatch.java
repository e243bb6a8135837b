package dev.sluice.cli.serve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a value on its own thread at a fixed interval and keeps the moments it changed, so that a
 * test can bound the longest stretch without progress (a stall). A sample that fails is counted and
 * remembered, never taken for a change: a stretch of failed samples is a stall too.
 */
final class ProgressWatch implements AutoCloseable {
  /** A new value, first seen {@code atNanos} ({@link System#nanoTime()}). */
  record Change(long atNanos, String value) {}

  private final Callable<String> sample;
  private final long startNanos = System.nanoTime();
  private final List<Change> changes = new ArrayList<>();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("progress-watch").unstarted(r));
  private int failures;
  private String firstFailure;

  private ProgressWatch(Callable<String> sample) {
    this.sample = Objects.requireNonNull(sample, "sample");
  }

  /** Starts sampling {@code sample} every {@code interval}, the first time at once. */
  static ProgressWatch every(Duration interval, Callable<String> sample) {
    ProgressWatch watch = new ProgressWatch(sample);
    watch.thread.scheduleWithFixedDelay(
        watch::sampleOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return watch;
  }

  private void sampleOnce() {
    String value;
    try {
      value = sample.call();
    } catch (Exception | AssertionError e) {
      synchronized (this) {
        failures++;
        if (firstFailure == null) {
          firstFailure = e.toString();
        }
      }
      return;
    }
    long now = System.nanoTime();
    synchronized (this) {
      if (changes.isEmpty() || !changes.getLast().value().equals(value)) {
        changes.add(new Change(now, value));
      }
    }
  }

  /** The latest value seen, or null before the first successful sample. */
  synchronized String latest() {
    return changes.isEmpty() ? null : changes.getLast().value();
  }

  /** The longest time between two consecutive changes seen so far. */
  synchronized Duration longestStall() {
    long longest = 0;
    for (int i = 1; i < changes.size(); i++) {
      longest = Math.max(longest, changes.get(i).atNanos() - changes.get(i - 1).atNanos());
    }
    return Duration.ofNanos(longest);
  }

  /** Every change with its time since the watch started, and the failed samples, for messages. */
  synchronized String timeline() {
    StringBuilder out = new StringBuilder();
    for (Change c : changes) {
      out.append(String.format(Locale.ROOT, "  +%6.2fs ", (c.atNanos() - startNanos) / 1e9))
          .append(c.value())
          .append('\n');
    }
    if (failures > 0) {
      out.append("  ").append(failures).append(" failed sample(s), the first: ");
      out.append(firstFailure).append('\n');
    }
    return out.toString();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
