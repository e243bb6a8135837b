package dev.sluice.core.rollout;

import dev.sluice.core.action.Action;
import dev.sluice.core.action.ActionListener;
import java.util.Optional;

/**
 * Keeps each rollout stage's counters in step with its devices' actions, incrementally: every
 * status change of a rollout's action updates that device's membership row and, when the device's
 * outcome changes, its stage's counter row, in the same transaction as the change. Nothing is ever
 * recounted by scanning.
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
    Optional<RolloutDevice> found = rollouts.member(id.get(), after.spec().device());
    if (found.isEmpty()
        || !found.get().action().equals(Optional.of(after.id()))
        || !(found.get().status() == MemberStatus.OPEN
            || found.get().status() == MemberStatus.CANCELING)) {
      return;
    }
    RolloutDevice member = found.get();
    var at = after.updatedAt();
    switch (after.status()) {
      case WAITING_CONFIRMATION,
          DENIED,
          OFFERED,
          RUNNING,
          DOWNLOADED,
          INSTALLED,
          AWAITING_VERSION,
          CANCELING ->
          rollouts.saveMember(member.with(member.status(), at));
      case SUCCEEDED ->
          close(rollouts, member.with(MemberStatus.SUCCEEDED, at), StageDelta.SUCCEEDED);
      case CANCELED -> close(rollouts, member.with(MemberStatus.CANCELED, at), StageDelta.CANCELED);
      case FAILED -> {
        FailureKind kind = member.timedOut() ? FailureKind.TIMEOUT : FailureKind.REPORTED;
        boolean retry =
            member.status() == MemberStatus.OPEN
                && rollouts
                    .find(id.get())
                    .filter(r -> r.state().isActive())
                    .map(r -> r.spec().retry().retries(kind, member.attempt()))
                    .orElse(false);
        if (retry) {
          rollouts.saveMember(member.with(MemberStatus.RETRY, at));
        } else {
          close(rollouts, member.with(MemberStatus.FAILED, at), StageDelta.FAILED);
        }
      }
    }
  }

  private static void close(RolloutRepository rollouts, RolloutDevice member, StageDelta delta) {
    rollouts.saveMember(member);
    rollouts.addToStage(member.rollout(), member.stage(), delta);
  }

  private static Optional<RolloutId> rolloutId(String text) {
    try {
      return Optional.of(new RolloutId(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
