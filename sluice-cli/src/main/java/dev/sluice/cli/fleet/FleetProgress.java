package dev.sluice.cli.fleet;

import java.util.Locale;

/**
 * A moment of a simulation, for the live progress line.
 *
 * @param elapsedSeconds since the devices started
 * @param pollsPerSecond polls answered per second since the previous moment
 * @param p50Millis median poll latency since the previous moment
 * @param p99Millis 99th percentile poll latency since the previous moment
 * @param polls polls answered so far
 * @param inProgress actions the devices are working on
 * @param succeeded actions that ended in success so far
 * @param failed actions that ended in failure so far
 * @param canceled actions cancelled so far
 * @param errors failed exchanges so far (refusals, broken connections, bad downloads)
 */
public record FleetProgress(
    long elapsedSeconds,
    double pollsPerSecond,
    double p50Millis,
    double p99Millis,
    long polls,
    long inProgress,
    long succeeded,
    long failed,
    long canceled,
    long errors) {

  /** One line for a terminal, e.g. {@code 12s 3,301 polls/s p50 0.4 ms p99 2.1 ms ...}. */
  public String line() {
    return String.format(
        Locale.ROOT,
        "%ds  %,.0f polls/s  p50 %.1f ms  p99 %.1f ms  actions: %,d running, %,d ok, %,d failed%s"
            + "  errors %,d",
        elapsedSeconds,
        pollsPerSecond,
        p50Millis,
        p99Millis,
        inProgress,
        succeeded,
        failed,
        canceled == 0 ? "" : String.format(Locale.ROOT, ", %,d canceled", canceled),
        errors);
  }
}
