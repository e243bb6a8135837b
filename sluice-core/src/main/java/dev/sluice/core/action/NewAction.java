package dev.sluice.core.action;

import dev.sluice.core.device.ControllerId;
import dev.sluice.core.release.ReleaseId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What to assign to one device: the release, how, and on whose behalf.
 *
 * @param device the device
 * @param release a PUBLISHED release of the device's product
 * @param rollout the rollout that assigns it, if any
 * @param stage the rollout stage (0-based), or 0 without a rollout
 * @param type forced, soft, timeforced or download-only
 * @param forcedAt for {@link ActionType#TIMEFORCED}: when it becomes forced
 * @param window the maintenance window, if installation is restricted to one
 * @param confirmation what counts as success
 * @param attempt 1 for the first attempt, higher for retries
 * @param consent whether the device owner must confirm the installation first (DDI {@code
 *     confirmationBase}); the action then starts as {@link ActionStatus#WAITING_CONFIRMATION}
 */
public record NewAction(
    ControllerId device,
    ReleaseId release,
    Optional<String> rollout,
    int stage,
    ActionType type,
    Optional<Instant> forcedAt,
    Optional<MaintenanceWindow> window,
    ConfirmationPolicy confirmation,
    int attempt,
    boolean consent) {

  public NewAction(
      ControllerId device,
      ReleaseId release,
      Optional<String> rollout,
      int stage,
      ActionType type,
      Optional<Instant> forcedAt,
      Optional<MaintenanceWindow> window,
      ConfirmationPolicy confirmation,
      int attempt) {
    this(device, release, rollout, stage, type, forcedAt, window, confirmation, attempt, false);
  }

  /** The same action, requiring the device owner's consent (or not). */
  public NewAction withConsent(boolean required) {
    return new NewAction(
        device, release, rollout, stage, type, forcedAt, window, confirmation, attempt, required);
  }

  public NewAction {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(forcedAt, "forcedAt");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(confirmation, "confirmation");
    if (stage < 0) {
      throw new IllegalArgumentException("a stage index is 0 or more");
    }
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1");
    }
    if ((type == ActionType.TIMEFORCED) != forcedAt.isPresent()) {
      throw new IllegalArgumentException("a timeforced action (and only one) has a forcedAt time");
    }
  }
}
