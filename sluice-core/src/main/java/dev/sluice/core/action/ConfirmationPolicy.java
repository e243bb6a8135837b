package dev.sluice.core.action;

/** What counts as success for an action. */
public enum ConfirmationPolicy {
  /**
   * The device must show it runs the new version after reboot: it reports the release's version
   * (DDI installedBase, or its configData) or confirms the action after restarting. A plain
   * "installed" moves the action to {@link ActionStatus#INSTALLED} only.
   */
  RUNNING_VERSION,
  /** A DDI {@code closed/success} feedback suffices (for clients that cannot report more). */
  DDI_SUCCESS
}
