package dev.sluice.cli.fleet;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What a simulated fleet did, counted by many device threads at once: polls and their latency (an
 * HdrHistogram recorder, in microseconds), how late devices woke, other requests, errors, bytes
 * downloaded and how the actions ended. {@link #sample} turns the latest interval into a {@link
 * FleetProgress}.
 */
public final class FleetStats {
  /** Latencies above a minute are recorded as a minute. */
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);

  private final Recorder pollLatency = new Recorder(MAX_MICROS, 3);
  private final Histogram allPolls = new Histogram(MAX_MICROS, 3);
  private final Recorder wakeLate = new Recorder(MAX_MICROS, 2);
  private final Histogram allWakes = new Histogram(MAX_MICROS, 2);
  private final LongAdder polls = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder started = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder canceled = new LongAdder();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private long lastSampleNanos;
  private long lastSamplePolls;

  FleetStats(long startNanos) {
    this.lastSampleNanos = startNanos;
  }

  /** Moves the start of the run (and of the first progress interval) to {@code startNanos}. */
  synchronized void startAt(long startNanos) {
    this.lastSampleNanos = startNanos;
  }

  void poll(long nanos) {
    polls.increment();
    requests.increment();
    pollLatency.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1000)));
  }

  /**
   * A device woke {@code nanos} after it was due: the simulator's own lag, large when its workers
   * cannot keep up with the fleet (all busy waiting for answers, or short of CPU).
   */
  void woke(long nanos) {
    wakeLate.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1000)));
  }

  void request() {
    requests.increment();
  }

  /** A failed exchange; the first one's message is kept for the summary. */
  void error(String message) {
    errors.increment();
    firstError.compareAndSet(null, message);
  }

  void downloaded(long count) {
    bytes.add(count);
  }

  void actionStarted() {
    started.increment();
  }

  void actionSucceeded() {
    succeeded.increment();
  }

  void actionFailed() {
    failed.increment();
  }

  void actionCanceled() {
    canceled.increment();
  }

  long succeeded() {
    return succeeded.sum();
  }

  long failed() {
    return failed.sum();
  }

  long inProgress() {
    return started.sum() - succeeded.sum() - failed.sum() - canceled.sum();
  }

  /** How long since the previous {@link #sample}. */
  synchronized long nanosSinceSample(long nowNanos) {
    return nowNanos - lastSampleNanos;
  }

  /**
   * The interval since the previous sample (poll rate and latency percentiles), with the running
   * totals. One thread samples; the interval's latencies are added to the run's histogram.
   */
  synchronized FleetProgress sample(long nowNanos, long startNanos) {
    Histogram interval = pollLatency.getIntervalHistogram();
    allPolls.add(interval);
    allWakes.add(wakeLate.getIntervalHistogram());
    long totalPolls = polls.sum();
    double seconds = Math.max(1e-9, (nowNanos - lastSampleNanos) / 1e9);
    double rate = (totalPolls - lastSamplePolls) / seconds;
    lastSampleNanos = nowNanos;
    lastSamplePolls = totalPolls;
    return new FleetProgress(
        (nowNanos - startNanos) / 1_000_000_000L,
        rate,
        millis(interval, 50),
        millis(interval, 99),
        totalPolls,
        inProgress(),
        succeeded.sum(),
        failed.sum(),
        canceled.sum(),
        errors.sum());
  }

  /** Totals for the whole run, after a last {@link #sample}. */
  synchronized FleetSummary.Totals totals() {
    return new FleetSummary.Totals(
        polls.sum(),
        requests.sum(),
        millis(allPolls, 50),
        millis(allPolls, 90),
        millis(allPolls, 99),
        millis(allPolls, 99.9),
        allPolls.getTotalCount() == 0 ? 0 : allPolls.getMaxValue() / 1000.0,
        millis(allWakes, 99),
        started.sum(),
        succeeded.sum(),
        failed.sum(),
        canceled.sum(),
        errors.sum(),
        bytes.sum(),
        Optional.ofNullable(firstError.get()));
  }

  private static double millis(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
  }
}
