package dev.sluice.core.rollout;

import dev.sluice.core.SluiceException;
import dev.sluice.core.UnitOfWork;
import dev.sluice.core.action.Action;
import dev.sluice.core.action.Assignments;
import dev.sluice.core.action.NewAction;
import dev.sluice.core.device.Device;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Offers a rollout's release to its devices: to the pending devices of the stages so far, and again
 * to those whose failure the retry policy retries. A device removed or decommissioned meanwhile
 * leaves its stage; any other refusal stops the offering with its reason.
 */
final class Offers {
  private final UnitOfWork<? extends RolloutPorts> transactions;
  private final Assignments<? super RolloutPorts> assignments;
  private final Clock clock;

  Offers(
      UnitOfWork<? extends RolloutPorts> transactions,
      Assignments<? super RolloutPorts> assignments,
      Clock clock) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.assignments = Objects.requireNonNull(assignments, "assignments");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Offers the release to pending devices of the stages so far; a refusal's reason if refused. */
  Optional<String> offerPending(Rollout r, DeviceBudget budget) {
    while (budget.left()) {
      Outcome outcome =
          transactions.write(
              repos -> {
                Rollout current = repos.rollouts().findForUpdate(r.id()).orElseThrow();
                if (current.state() != RolloutState.RUNNING || current.stage() != r.stage()) {
                  return new Outcome(0, Optional.empty());
                }
                List<RolloutDevice> page =
                    repos
                        .rollouts()
                        .members(r.id(), MemberStatus.PENDING, r.stage(), RolloutEvaluator.BATCH);
                return offer(repos, current, page);
              });
      budget.spend(outcome.offered());
      if (outcome.refused().isPresent() || outcome.offered() < RolloutEvaluator.BATCH) {
        return outcome.refused();
      }
    }
    return Optional.empty();
  }

  /** Offers another attempt to devices whose failure the retry policy retries. */
  void retry(Rollout r, DeviceBudget budget) {
    while (budget.left()) {
      int n =
          transactions.write(
              repos -> {
                Rollout current = repos.rollouts().findForUpdate(r.id()).orElseThrow();
                if (current.state() != RolloutState.RUNNING) {
                  return 0;
                }
                List<RolloutDevice> page =
                    repos
                        .rollouts()
                        .members(r.id(), MemberStatus.RETRY, r.stage(), RolloutEvaluator.BATCH);
                Outcome outcome = offer(repos, current, page);
                return outcome.refused().isPresent() ? 0 : page.size();
              });
      budget.spend(n);
      if (n < RolloutEvaluator.BATCH) {
        return;
      }
    }
  }

  private record Outcome(int offered, Optional<String> refused) {}

  /**
   * Offers the page's devices in order. The common case, a run of devices in service with nothing
   * open, is assigned at once ({@link Assignments#assignLeading}); a device it stops at goes the
   * one-device way ({@link Assignments#assign}), which refuses it or supersedes its open action,
   * and the rest of the page continues after it. The result is that of offering each device in
   * turn.
   */
  private Outcome offer(RolloutPorts repos, Rollout r, List<RolloutDevice> page) {
    Instant now = clock.instant();
    int offered = 0;
    Optional<String> refused = Optional.empty();
    int next = 0;
    while (next < page.size()) {
      List<RolloutDevice> rest = page.subList(next, page.size());
      List<Action> run =
          assignments.assignLeading(repos, rest.stream().map(m -> newAction(r, m)).toList(), now);
      if (!run.isEmpty()) {
        List<RolloutDevice> members = new ArrayList<>(run.size());
        for (int i = 0; i < run.size(); i++) {
          members.add(rest.get(i).offered(run.get(i).id(), now));
        }
        repos.rollouts().saveMembers(members);
        offered += run.size();
        next += run.size();
        continue;
      }
      RolloutDevice m = page.get(next++);
      try {
        Action action = assignments.assign(repos, newAction(r, m), now);
        repos.rollouts().saveMember(m.offered(action.id(), now));
      } catch (SluiceException.NotFound gone) {
        // The device was removed: it leaves the stage without counting for or against it.
        leave(repos, m, now);
      } catch (SluiceException.Conflict conflict) {
        if (repos.devices().find(m.device()).map(Device::decommissioned).orElse(false)) {
          // Decommissioned (e.g. waiting for a retry): it leaves the stage like a removed device.
          leave(repos, m, now);
          offered++;
          continue;
        }
        refused = Optional.of(conflict.getMessage());
        break;
      }
      offered++;
    }
    return new Outcome(offered, refused);
  }

  /**
   * The device leaves its stage as CANCELED: assigned (if it was pending) and cancelled, so it
   * counts neither for nor against the release.
   */
  private static void leave(RolloutPorts repos, RolloutDevice m, Instant now) {
    repos.rollouts().saveMember(m.with(MemberStatus.CANCELED, now));
  }

  private static NewAction newAction(Rollout r, RolloutDevice m) {
    RolloutSpec spec = r.spec();
    return new NewAction(
        m.device(),
        spec.release(),
        Optional.of(r.id().value()),
        m.stage(),
        spec.type(),
        spec.forcedAt(),
        spec.window(),
        spec.confirmation(),
        m.attempt() + 1,
        spec.consent());
  }
}
