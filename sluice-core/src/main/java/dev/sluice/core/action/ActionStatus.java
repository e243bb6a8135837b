package dev.sluice.core.action;

/** Where a device action is in its life. */
public enum ActionStatus {
  /** Created; the device has not fetched it yet (it may wait for a maintenance window). */
  OFFERED,
  /** The device fetched it or reported progress (downloading, proceeding). */
  RUNNING,
  /** The device reported the download complete (the end of a download-only action). */
  DOWNLOADED,
  /**
   * The device reported the installation finished, but success requires it to confirm that it runs
   * the new version after reboot, which it has not done yet.
   */
  INSTALLED,
  /** Done: the device runs the release (or, for download-only, holds it). */
  SUCCEEDED,
  /** The device reported failure, or went silent past the in-progress timeout. */
  FAILED,
  /** Cancellation requested; waiting for the device to acknowledge it via cancelAction. */
  CANCELING,
  /** Cancelled. */
  CANCELED;

  /** Whether the action still expects the device to act or report. */
  public boolean isOpen() {
    return switch (this) {
      case OFFERED, RUNNING, DOWNLOADED, INSTALLED, CANCELING -> true;
      case SUCCEEDED, FAILED, CANCELED -> false;
    };
  }
}
