package dev.sluice.core.rollout;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.UnitOfWork;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Asks a rollout's webhook gate whether the next stage may start, outside any transaction, and
 * applies the reply if the rollout still waits for it.
 */
final class WebhookGate {
  private final UnitOfWork<? extends RolloutPorts> transactions;
  private final GateCheck gates;
  private final Clock clock;

  private final LeaseHold lease;

  WebhookGate(
      UnitOfWork<? extends RolloutPorts> transactions,
      GateCheck gates,
      Clock clock,
      LeaseHold lease) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.gates = Objects.requireNonNull(gates, "gates");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lease = Objects.requireNonNull(lease, "lease");
  }

  /** Extends the evaluator's lease on a rollout before a call that may outlast it. */
  @FunctionalInterface
  interface LeaseHold {
    /** Holds the lease for at least {@code duration} from now, or throws if it was lost. */
    void holdFor(RolloutId id, Duration duration);

    LeaseHold NONE = (id, duration) -> {};
  }

  /**
   * Asks the webhook gate (at most every {@link RolloutEvaluator#WEBHOOK_INTERVAL}); true if it
   * approved.
   */
  boolean ask(Rollout r) {
    if (!(r.nextGate().orElse(Gate.NONE) instanceof Gate.Webhook webhook)) {
      return false;
    }
    Instant now = clock.instant();
    RolloutProgress progress = transactions.read(repos -> repos.rollouts().progress(r.id()));
    if (progress
        .gateCheckedAt()
        .map(t -> t.plus(RolloutEvaluator.WEBHOOK_INTERVAL).isAfter(now))
        .orElse(false)) {
      return false;
    }
    ObjectNode payload =
        transactions.read(repos -> GatePayload.of(r, repos.rollouts().counters(r.id())));
    // The call may take longer than the lease (connect and response timeouts): without holding it,
    // another instance would claim the rollout, ask the webhook again, and this reply would be
    // thrown away at the fence; with a webhook slower than the lease, no reply would ever count.
    lease.holdFor(r.id(), gates.longestCall().plus(RolloutEvaluator.LEASE));
    GateCheck.Reply reply = gates.ask(webhook.url(), payload);
    return transactions.write(
        repos -> {
          RolloutRepository rollouts = repos.rollouts();
          rollouts.saveProgress(r.id(), rollouts.progress(r.id()).gateCheckedAt(now));
          Rollout current = rollouts.findForUpdate(r.id()).orElseThrow();
          if (current.state() != RolloutState.WAITING_APPROVAL || current.stage() != r.stage()) {
            return false;
          }
          Rollout next = current.withGateReply(reply.summary(), now);
          if (reply.approved()) {
            next = next.advance(now);
            ObjectNode detail = JsonNodeFactory.instance.objectNode();
            detail.put("webhook", webhook.url().toString());
            detail.put("reply", reply.summary());
            detail.put("stage", next.stage() + 1);
            RolloutService.audit(
                repos, RolloutEvaluator.SYSTEM, now, "rollout.approved", r.id(), detail);
          }
          rollouts.update(next);
          return reply.approved();
        });
  }
}
