package dev.sluice.core.rollout;

/** A change to a stage's counters (components may be negative: a device leaves "open"). */
public record StageDelta(long assigned, long open, long succeeded, long failed, long canceled) {
  public static final StageDelta ZERO = new StageDelta(0, 0, 0, 0, 0);

  /** A device offered the release: assigned and open. */
  public static final StageDelta OFFERED = new StageDelta(1, 1, 0, 0, 0);

  public static final StageDelta SUCCEEDED = new StageDelta(0, -1, 1, 0, 0);
  public static final StageDelta FAILED = new StageDelta(0, -1, 0, 1, 0);
  public static final StageDelta CANCELED = new StageDelta(0, -1, 0, 0, 1);

  /** A device that could not be offered the release (it no longer exists). */
  public static final StageDelta SKIPPED = new StageDelta(1, 0, 0, 0, 1);

  public StageDelta plus(StageDelta d) {
    return new StageDelta(
        assigned + d.assigned,
        open + d.open,
        succeeded + d.succeeded,
        failed + d.failed,
        canceled + d.canceled);
  }

  public boolean isZero() {
    return equals(ZERO);
  }
}
