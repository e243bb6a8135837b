package dev.sluice.core.rollout;

import dev.sluice.core.action.Action;
import dev.sluice.core.action.ActionListener;
import dev.sluice.core.device.ControllerId;
import java.util.Optional;

/**
 * Keeps each rollout device's membership row in step with its action: every status change of a
 * rollout's action updates that row (its status and time) in the same transaction as the change. A
 * stage's counters are counted from these rows when they are read ({@link
 * RolloutRepository#counters}), so a report writes no shared counter row: thousands of devices
 * reporting a second do not queue on one row lock, and nothing about an outcome lives anywhere but
 * in the committed row of the device that reported it.
 *
 * <p>A failed attempt that the retry policy retries leaves the device open (status RETRY); the
 * evaluator offers it again. Reports about an older attempt than the device's current one are
 * ignored.
 */
public final class RolloutCounters implements ActionListener<RolloutPorts> {

  @Override
  public void statusChanged(RolloutPorts repos, Action before, Action after) {
    Optional<RolloutId> id = after.spec().rollout().flatMap(RolloutCounters::rolloutId);
    if (id.isEmpty()) {
      return;
    }
    RolloutRepository rollouts = repos.rollouts();
    var at = after.updatedAt();
    ControllerId device = after.spec().device();
    // Every report but a failure changes the member's row in one statement, whatever it held (the
    // statement's own condition is the check); a failure reads the row first to decide on a retry.
    switch (after.status()) {
      case WAITING_CONFIRMATION,
          DENIED,
          OFFERED,
          RUNNING,
          DOWNLOADED,
          INSTALLED,
          AWAITING_VERSION,
          CANCELING -> {
        rollouts.reportOn(id.get(), device, after.id(), Optional.empty(), at);
        return;
      }
      case SUCCEEDED -> {
        rollouts.reportOn(id.get(), device, after.id(), Optional.of(MemberStatus.SUCCEEDED), at);
        return;
      }
      case CANCELED -> {
        rollouts.reportOn(id.get(), device, after.id(), Optional.of(MemberStatus.CANCELED), at);
        return;
      }
      case FAILED -> {}
    }
    Optional<RolloutDevice> found = rollouts.member(id.get(), device);
    if (found.isEmpty()
        || !found.get().action().equals(Optional.of(after.id()))
        || !(found.get().status() == MemberStatus.OPEN
            || found.get().status() == MemberStatus.CANCELING)) {
      return;
    }
    RolloutDevice member = found.get();
    FailureKind kind = member.timedOut() ? FailureKind.TIMEOUT : FailureKind.REPORTED;
    boolean retry =
        member.status() == MemberStatus.OPEN
            && rollouts
                .find(id.get())
                .filter(r -> r.state().isActive())
                .map(r -> r.spec().retry().retries(kind, member.attempt()))
                .orElse(false);
    rollouts.saveMember(member.with(retry ? MemberStatus.RETRY : MemberStatus.FAILED, at));
  }

  private static Optional<RolloutId> rolloutId(String text) {
    try {
      return Optional.of(new RolloutId(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
