package dev.sluice.core.rollout;

import dev.sluice.core.action.ActionId;
import dev.sluice.core.device.ControllerId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One device's membership in a rollout.
 *
 * @param rollout the rollout
 * @param device the device
 * @param rank its place in the rollout's order ({@link StageMembership#rank})
 * @param stage its stage, -1 until the stages are cut
 * @param status where it stands
 * @param action its current action, once offered
 * @param attempt how many actions it was offered
 * @param timedOut whether its current action is being failed for silence
 * @param updatedAt when its action last changed (the in-progress timeout counts from here)
 */
public record RolloutDevice(
    RolloutId rollout,
    ControllerId device,
    long rank,
    int stage,
    MemberStatus status,
    Optional<ActionId> action,
    int attempt,
    boolean timedOut,
    Instant updatedAt) {
  public RolloutDevice {
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  public RolloutDevice offered(ActionId id, Instant at) {
    return new RolloutDevice(
        rollout, device, rank, stage, MemberStatus.OPEN, Optional.of(id), attempt + 1, false, at);
  }

  public RolloutDevice with(MemberStatus next, Instant at) {
    return new RolloutDevice(rollout, device, rank, stage, next, action, attempt, false, at);
  }

  public RolloutDevice markedTimedOut() {
    return new RolloutDevice(
        rollout, device, rank, stage, status, action, attempt, true, updatedAt);
  }
}
