package dev.sluice.core.device;

/** A device's update status, as the fleet operator sees it. */
public enum DeviceStatus {
  /** Never reported an installed version and has no action. */
  UNKNOWN,
  /** Runs the release it was last assigned (or reported one out of band) and has nothing open. */
  IN_SYNC,
  /** Has an open action (offered, downloading, installed and awaiting confirmation). */
  PENDING,
  /** Its last action failed. */
  ERROR
}
