package dev.sluice.core.rollout;

import dev.sluice.core.UnitOfWork;
import dev.sluice.core.action.Assignments;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Fails the open actions of a rollout's devices that stayed silent past its in-progress timeout.
 */
final class SilentDevices {
  private final UnitOfWork<? extends RolloutPorts> transactions;
  private final Assignments<? super RolloutPorts> assignments;
  private final Clock clock;

  SilentDevices(
      UnitOfWork<? extends RolloutPorts> transactions,
      Assignments<? super RolloutPorts> assignments,
      Clock clock) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.assignments = Objects.requireNonNull(assignments, "assignments");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Fails open actions whose device stayed silent past the in-progress timeout. */
  void expire(Rollout r, DeviceBudget budget) {
    Duration timeout = r.spec().inProgressTimeout();
    String reason = "no status report for " + timeout + " (in-progress timeout)";
    while (budget.left()) {
      int n =
          transactions.write(
              repos -> {
                Instant now = clock.instant();
                RolloutRepository rollouts = repos.rollouts();
                List<RolloutDevice> silent =
                    rollouts.silentSince(r.id(), now.minus(timeout), RolloutEvaluator.BATCH);
                for (RolloutDevice m : silent) {
                  rollouts.saveMember(m.markedTimedOut());
                  assignments.fail(repos, m.action().orElseThrow(), reason, now);
                  // If the action had closed already, the listener did nothing: look again later.
                  rollouts
                      .member(r.id(), m.device())
                      .filter(x -> x.status() == MemberStatus.OPEN && x.timedOut())
                      .ifPresent(x -> rollouts.saveMember(x.with(MemberStatus.OPEN, now)));
                }
                return silent.size();
              });
      budget.spend(n);
      if (n < RolloutEvaluator.BATCH) {
        return;
      }
    }
  }
}
