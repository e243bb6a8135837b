package dev.sluice.core.rollout;

import dev.sluice.core.UnitOfWork;
import dev.sluice.core.action.Assignments;
import java.time.Clock;
import java.util.List;

/**
 * Ends a stopped rollout's open work, in bounded transactions: every open action is cancelled
 * through {@link Assignments#cancel} (DDI cancelAction for a device that already fetched it), and
 * devices waiting for a retry are cancelled directly. Devices never offered the release stay as
 * they are.
 */
final class OpenActions {
  private OpenActions() {}

  /** Cancels up to {@code max} open actions of the rollout; returns how many it asked to cancel. */
  static int cancel(
      UnitOfWork<? extends RolloutPorts> transactions,
      Assignments<? super RolloutPorts> assignments,
      Clock clock,
      RolloutId id,
      String reason,
      int batch,
      int max) {
    int done = 0;
    while (done < max) {
      int n =
          transactions.write(
              repos -> {
                var now = clock.instant();
                List<RolloutDevice> retrying =
                    repos.rollouts().members(id, MemberStatus.RETRY, Integer.MAX_VALUE, batch);
                for (RolloutDevice m : retrying) {
                  repos.rollouts().saveMember(m.with(MemberStatus.CANCELED, now));
                }
                List<RolloutDevice> open =
                    repos.rollouts().members(id, MemberStatus.OPEN, Integer.MAX_VALUE, batch);
                for (RolloutDevice m : open) {
                  // Mark first: the listener then sees CANCELING and, if the cancel is immediate,
                  // closes the device as CANCELED in this same transaction.
                  RolloutDevice canceling = m.with(MemberStatus.CANCELING, now);
                  repos.rollouts().saveMember(canceling);
                  assignments.cancel(repos, m.action().orElseThrow(), reason, now);
                }
                return retrying.size() + open.size();
              });
      done += n;
      if (n == 0) {
        break;
      }
    }
    return done;
  }
}
