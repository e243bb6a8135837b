package dev.sluice.core.action;

/** Where a device action is in its life. */
public enum ActionStatus {
  /**
   * Created for a product or rollout that requires the device owner's consent (DDI {@code
   * confirmationBase}): offered for confirmation only, not for installation.
   */
  WAITING_CONFIRMATION,
  /**
   * The device (its owner) denied the installation. It stays open, as in hawkBit: the owner may
   * still confirm, or an operator cancels it.
   */
  DENIED,
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
  /**
   * The device reported the action {@code closed/success} without having signalled the installation
   * before (rauc-hawkbit-updater, Zephyr, hawkBit's simulator): it considers the action done and is
   * never offered it again. Success requires it to report the release's version (configData,
   * offered while the action is in this status, or installedBase).
   */
  AWAITING_VERSION,
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
      case WAITING_CONFIRMATION,
          DENIED,
          OFFERED,
          RUNNING,
          DOWNLOADED,
          INSTALLED,
          AWAITING_VERSION,
          CANCELING ->
          true;
      case SUCCEEDED, FAILED, CANCELED -> false;
    };
  }

  /** Whether the action waits for the device owner's consent (confirmed or not yet). */
  public boolean awaitsConsent() {
    return this == WAITING_CONFIRMATION || this == DENIED;
  }
}
