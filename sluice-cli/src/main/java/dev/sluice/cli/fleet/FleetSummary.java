package dev.sluice.cli.fleet;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a simulation went: the fleet, how long it ran and why it stopped, and its totals.
 *
 * @param devices simulated devices
 * @param elapsed how long the devices ran
 * @param stoppedBy why it stopped
 * @param targetPollsPerSecond the rate the fleet aims at (devices / poll interval), if known
 * @param totals what the devices did
 * @param simulatorCpu CPU time the simulating JVM used meanwhile (zero where unknown): the load
 *     generator's own cost, for judging figures measured on a shared machine
 */
public record FleetSummary(
    int devices,
    Duration elapsed,
    Stop stoppedBy,
    double targetPollsPerSecond,
    Totals totals,
    Duration simulatorCpu) {

  public FleetSummary {
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(simulatorCpu, "simulatorCpu");
    Objects.requireNonNull(stoppedBy, "stoppedBy");
    Objects.requireNonNull(totals, "totals");
  }

  /** Why a simulation stopped. */
  public enum Stop {
    /** The requested duration passed. */
    DURATION,
    /** Every device finished an action and none is in progress. */
    DONE,
    /** It was stopped from outside (Ctrl-C, or {@link FleetSimulator#stop()}). */
    STOPPED
  }

  /**
   * The run's counts; latencies are of polls, in milliseconds, over the whole run.
   *
   * @param lateP99Millis the 99th percentile of how late devices woke after their due time: the
   *     simulator's own lag (when it is large, the simulator, not the server, set the poll rate)
   * @param started actions the devices began working on
   * @param firstError what went wrong first, if anything did
   */
  public record Totals(
      long polls,
      long requests,
      double p50Millis,
      double p90Millis,
      double p99Millis,
      double p999Millis,
      double maxMillis,
      double lateP99Millis,
      long started,
      long succeeded,
      long failed,
      long canceled,
      long errors,
      long bytesDownloaded,
      Optional<String> firstError) {

    public long inProgress() {
      return started - succeeded - failed - canceled;
    }
  }

  /** Polls answered per second over the whole run. */
  public double pollsPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : totals.polls() / seconds;
  }

  /** The summary for people, several lines. */
  public String text() {
    return String.format(
            Locale.ROOT,
            """
        fleet: %,d devices for %.1f s (%s)
        polls: %,d (%,.0f/s%s), latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, \
        max %.2f ms; devices woke late by %.2f ms (p99)
        actions: %,d succeeded, %,d failed, %,d canceled, %,d in progress
        requests: %,d in all, %,d errors, %,d bytes downloaded; simulator CPU %.1f s
        """,
            devices,
            elapsed.toMillis() / 1000.0,
            stoppedBy.name().toLowerCase(Locale.ROOT),
            totals.polls(),
            pollsPerSecond(),
            targetPollsPerSecond > 0
                ? String.format(Locale.ROOT, "; target %,.0f/s", targetPollsPerSecond)
                : "",
            totals.p50Millis(),
            totals.p90Millis(),
            totals.p99Millis(),
            totals.p999Millis(),
            totals.maxMillis(),
            totals.lateP99Millis(),
            totals.succeeded(),
            totals.failed(),
            totals.canceled(),
            totals.inProgress(),
            totals.requests(),
            totals.errors(),
            totals.bytesDownloaded(),
            simulatorCpu.toMillis() / 1000.0)
        + totals.firstError().map(e -> "first error: " + e + "\n").orElse("");
  }

  /** The summary as JSON, for scripts (the benchmark reads it). */
  public ObjectNode json() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("devices", devices);
    json.put("seconds", elapsed.toMillis() / 1000.0);
    json.put("stopped_by", stoppedBy.name().toLowerCase(Locale.ROOT));
    json.put("polls", totals.polls());
    json.put("polls_per_second", round(pollsPerSecond()));
    json.put("target_polls_per_second", round(targetPollsPerSecond));
    ObjectNode latency = json.putObject("poll_latency_ms");
    latency.put("p50", totals.p50Millis());
    latency.put("p90", totals.p90Millis());
    latency.put("p99", totals.p99Millis());
    latency.put("p999", totals.p999Millis());
    latency.put("max", totals.maxMillis());
    json.putObject("wake_late_ms").put("p99", totals.lateP99Millis());
    ObjectNode actions = json.putObject("actions");
    actions.put("succeeded", totals.succeeded());
    actions.put("failed", totals.failed());
    actions.put("canceled", totals.canceled());
    actions.put("in_progress", totals.inProgress());
    json.put("requests", totals.requests());
    json.put("errors", totals.errors());
    json.put("bytes_downloaded", totals.bytesDownloaded());
    totals.firstError().ifPresent(e -> json.put("first_error", e));
    json.put("simulator_cpu_seconds", simulatorCpu.toMillis() / 1000.0);
    return json;
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
