package dev.sluice.core.rollout;

/**
 * Where the devices of one stage stand. {@code assigned = open + succeeded + failed + canceled}:
 * every device the stage offered the release to is in exactly one of the four. A device waiting for
 * a retry counts as open.
 *
 * @param assigned devices offered the release
 * @param open devices whose attempt is not finished (or that wait for a retry)
 * @param succeeded devices that run the release (per the rollout's confirmation policy)
 * @param failed devices that failed for good (retries exhausted)
 * @param canceled devices whose action was cancelled (not counted for or against the release)
 */
public record StageCounters(long assigned, long open, long succeeded, long failed, long canceled) {
  public static final StageCounters ZERO = new StageCounters(0, 0, 0, 0, 0);

  public StageCounters {
    if (assigned < 0 || open < 0 || succeeded < 0 || failed < 0 || canceled < 0) {
      throw new IllegalArgumentException("stage counters are not negative");
    }
  }

  /** The devices that count for the thresholds: assigned and not cancelled. */
  public long counted() {
    return assigned - canceled;
  }

  /** Whether at least {@code percent} % of the counted devices succeeded (and any did). */
  public boolean succeededAtLeast(int percent) {
    return counted() > 0 && succeeded * 100 >= (long) percent * counted();
  }

  /** Whether failures reached {@code percent} % of the counted devices (and any failed). */
  public boolean failedAtLeast(int percent) {
    return failed > 0 && failed * 100 >= (long) percent * counted();
  }

  /** Whether every device finished and fewer than {@code percent} % succeeded. */
  public boolean finishedBelow(int percent) {
    return counted() > 0 && open == 0 && !succeededAtLeast(percent);
  }
}
