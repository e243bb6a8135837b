package dev.sluice.core.rollout;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException;
import dev.sluice.core.UnitOfWork;
import dev.sluice.core.action.Assignments;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The periodic job that carries rollouts out. Each {@link #runOnce()} visits every active rollout
 * it can claim (a lease on the rollout's row, so several server instances never work on one rollout
 * at once) and, in bounded transactions of {@value #BATCH} devices and at most {@value
 * #MAX_DEVICES_PER_RUN} devices per rollout and run: starts scheduled rollouts; records the devices
 * matched at start and cuts the stages; fails actions silent past the in-progress timeout; lets
 * newly registered devices join a dynamic rollout; offers retries; offers the release to the
 * current stage's devices; and applies the {@link RolloutEngine}'s decision (next stage, gate,
 * halt, finish). Webhook gates are called outside any transaction. Time is the injected clock's.
 *
 * <p>The lease is short ({@link #LEASE}) so that another instance takes a rollout over within
 * seconds when its evaluator dies, and it is fenced: a claim returns a new epoch, and every write
 * transaction of the evaluation first renews the lease under that epoch (which also extends it, a
 * heartbeat at each bounded batch) and rolls back if another instance claimed the rollout
 * meanwhile. An instance that paused past its lease (a long GC, a frozen VM) thus cannot write into
 * a rollout another instance now carries.
 */
public final class RolloutEvaluator {
  public static final int BATCH = 500;

  /**
   * Devices recorded per transaction when a rollout starts. Recording only reads devices and
   * inserts the rollout's own member rows (no device row is locked, no action written), so its
   * pages are larger than {@link #BATCH}: a rollout over a million devices records them in 200
   * transactions, where pages of 500 took 2,000 and held its first offer back for minutes.
   */
  public static final int COLLECT_BATCH = 5_000;

  public static final int MAX_DEVICES_PER_RUN = 100_000;

  /**
   * How long a claim lasts without a write. A dead instance's rollout waits this long, plus up to
   * one evaluation interval, for another instance: issue 15 bounds that stall at 15 s, which a 15 s
   * lease exceeded (ScaleOutEndToEndIT saw 16.5 s).
   */
  public static final Duration LEASE = Duration.ofSeconds(5);

  public static final Duration WEBHOOK_INTERVAL = Duration.ofSeconds(30);
  static final String SYSTEM = RolloutEngine.SYSTEM;

  private static final List<RolloutState> ACTIVE =
      List.of(
          RolloutState.SCHEDULED,
          RolloutState.RUNNING,
          RolloutState.PAUSED,
          RolloutState.WAITING_APPROVAL);

  private final UnitOfWork<? extends RolloutPorts> transactions;
  private final Assignments<? super RolloutPorts> assignments;
  private final GateCheck gates;
  private final Clock clock;
  private final String owner;
  private final BiConsumer<RolloutId, RuntimeException> onError;
  private final Membership membership;
  private final Offers offers;
  private final SilentDevices silence;
  private final WebhookGate webhooks;

  public RolloutEvaluator(
      UnitOfWork<? extends RolloutPorts> transactions,
      Assignments<? super RolloutPorts> assignments,
      GateCheck gates,
      Clock clock,
      String owner,
      BiConsumer<RolloutId, RuntimeException> onError) {
    this(transactions, assignments, gates, clock, owner, onError, WebhookGate.LeaseHold.NONE);
  }

  private RolloutEvaluator(
      UnitOfWork<? extends RolloutPorts> transactions,
      Assignments<? super RolloutPorts> assignments,
      GateCheck gates,
      Clock clock,
      String owner,
      BiConsumer<RolloutId, RuntimeException> onError,
      WebhookGate.LeaseHold lease) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.assignments = Objects.requireNonNull(assignments, "assignments");
    this.gates = Objects.requireNonNull(gates, "gates");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.onError = Objects.requireNonNull(onError, "onError");
    this.membership = new Membership(transactions, clock);
    this.offers = new Offers(transactions, assignments, clock);
    this.silence = new SilentDevices(transactions, assignments, clock);
    this.webhooks = new WebhookGate(transactions, gates, clock, lease);
  }

  /**
   * Evaluates every active rollout once; a failure on one is reported and does not stop the others.
   *
   * @return how many rollouts were evaluated
   */
  public int runOnce() {
    List<RolloutId> ids = transactions.read(repos -> repos.rollouts().idsIn(ACTIVE));
    int evaluated = 0;
    for (RolloutId id : ids) {
      try {
        if (evaluate(id)) {
          evaluated++;
        }
      } catch (RuntimeException e) {
        onError.accept(id, e);
      }
    }
    return evaluated;
  }

  /** Evaluates one rollout if this instance can claim it; returns whether it could. */
  public boolean evaluate(RolloutId id) {
    Instant now = clock.instant();
    java.util.OptionalLong epoch =
        transactions.write(repos -> repos.rollouts().claim(id, owner, now, now.plus(LEASE)));
    if (epoch.isEmpty()) {
      return false;
    }
    Fenced<? extends RolloutPorts> fence =
        new Fenced<>(transactions, id, owner, epoch.getAsLong(), clock);
    RolloutEvaluator fenced =
        new RolloutEvaluator(fence, assignments, gates, clock, owner, onError, fence::holdFor);
    try {
      try {
        fenced.work(id, new DeviceBudget(MAX_DEVICES_PER_RUN));
      } catch (SluiceException.InvalidInput e) {
        // Its spec can never work (e.g. a filter refused since it was stored): stop it once, with
        // the reason, rather than failing again on every run.
        fenced.haltInvalid(id, e.getMessage());
      }
    } catch (LeaseLost e) {
      // Another instance carries the rollout on; nothing of this run's last step was written.
      return false;
    } finally {
      transactions.write(
          repos -> {
            repos.rollouts().release(id, owner);
            return null;
          });
    }
    return true;
  }

  /** The lease was lost: another instance claimed the rollout; this run must not write. */
  private static final class LeaseLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LeaseLost(RolloutId id) {
      super("the lease on rollout " + id.value() + " was taken over by another instance", null);
    }
  }

  /** Transactions whose every write first passes the lease's fence (and so renews the lease). */
  private record Fenced<R extends RolloutPorts>(
      UnitOfWork<R> delegate, RolloutId id, String owner, long epoch, Clock clock)
      implements UnitOfWork<R> {
    @Override
    public <T> T write(java.util.function.Function<? super R, T> work) {
      return delegate.write(
          repos -> {
            if (!repos.rollouts().renew(id, owner, epoch, clock.instant().plus(LEASE))) {
              throw new LeaseLost(id);
            }
            return work.apply(repos);
          });
    }

    /** Extends the lease to {@code duration} from now (a write of its own), or throws LeaseLost. */
    void holdFor(RolloutId rollout, Duration duration) {
      if (!rollout.equals(id)) {
        throw new IllegalArgumentException("this fence holds rollout " + id.value());
      }
      delegate.write(
          repos -> {
            if (!repos.rollouts().renew(id, owner, epoch, clock.instant().plus(duration))) {
              throw new LeaseLost(id);
            }
            return null;
          });
    }

    @Override
    public <T> T read(java.util.function.Function<? super R, T> work) {
      return delegate.read(work);
    }
  }

  private void work(RolloutId id, DeviceBudget budget) {
    // Each pass either changes the rollout's state or stage, or returns; the bound is a safeguard.
    for (int pass = 0; pass < 2 * RolloutSpec.MAX_STAGES + 8 && budget.left(); pass++) {
      Rollout r = read(id);
      if (r.state() == RolloutState.SCHEDULED) {
        if (!(RolloutEngine.decide(r, new StageView(StageCounters.ZERO, 0), clock.instant())
            instanceof Step.Begin)) {
          return;
        }
        change(
            r,
            "rollout.running",
            (repos, x) -> RolloutService.withBaseline(repos, x.begin(clock.instant())));
        continue;
      }
      if (!r.state().isActive()) {
        return;
      }
      if (!transactions.read(repos -> repos.rollouts().progress(id)).membershipDone()) {
        if (!membership.collect(r, budget)) {
          return;
        }
        continue;
      }
      silence.expire(r, budget);
      if (r.state() == RolloutState.RUNNING) {
        membership.join(r, budget);
        offers.retry(r, budget);
        Optional<String> refused = offers.offerPending(r, budget);
        if (refused.isPresent()) {
          Rollout current = read(id);
          halt(
              current,
              new Halt(
                  Halt.Kind.ASSIGNMENT_REFUSED,
                  "the release could not be assigned: " + refused.get(),
                  current.stage(),
                  current.stage() < 0 ? StageCounters.ZERO : counters(current),
                  Optional.empty(),
                  clock.instant(),
                  SYSTEM));
          return;
        }
      }
      r = read(id);
      Step step = RolloutEngine.decide(r, view(r), clock.instant());
      switch (step) {
        case Step.Wait w -> {
          if (!(r.state() == RolloutState.WAITING_APPROVAL && webhooks.ask(r))) {
            return;
          }
        }
        case Step.Advance a ->
            change(r, "rollout.stage-started", (repos, x) -> x.advance(clock.instant()));
        case Step.AwaitGate g ->
            change(r, "rollout.waiting-approval", (repos, x) -> x.awaitGate(clock.instant()));
        case Step.Stop s -> {
          halt(r, s.halt());
          return;
        }
        case Step.Finish f -> {
          change(r, "rollout.finished", (repos, x) -> x.finish(clock.instant()));
          return;
        }
        case Step.Begin b -> {
          return;
        }
      }
    }
  }

  private void halt(Rollout r, Halt halt) {
    if (change(r, "rollout.halted", (repos, x) -> x.halt(halt))) {
      OpenActions.cancel(
          transactions,
          assignments,
          clock,
          r.id(),
          "rollout " + r.id() + " halted: " + halt.message(),
          BATCH,
          MAX_DEVICES_PER_RUN);
    }
  }

  private void haltInvalid(RolloutId id, String reason) {
    Rollout r = read(id);
    if (!r.state().isActive()) {
      return;
    }
    Halt halt =
        new Halt(
            Halt.Kind.INVALID_SPEC,
            "the rollout cannot be carried out: " + reason,
            r.stage(),
            r.stage() < 0 ? StageCounters.ZERO : counters(r),
            Optional.empty(),
            clock.instant(),
            SYSTEM);
    if (r.state() == RolloutState.SCHEDULED) {
      change(r, "rollout.halted", (repos, x) -> x.cancel(halt));
    } else {
      halt(r, halt);
    }
  }

  private interface Transition {
    Rollout apply(RolloutPorts repos, Rollout current);
  }

  /**
   * Applies a transition if the rollout is still as {@code seen} left it (an operator may have
   * paused or cancelled it meanwhile); returns whether it did.
   */
  private boolean change(Rollout seen, String action, Transition transition) {
    return transactions.write(
        repos -> {
          Rollout current = repos.rollouts().findForUpdate(seen.id()).orElseThrow();
          if (current.state() != seen.state() || current.stage() != seen.stage()) {
            return false;
          }
          Rollout next = transition.apply(repos, current);
          repos.rollouts().update(next);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("from", current.state().wireName());
          detail.put("to", next.state().wireName());
          detail.put("stage", next.stage() + 1);
          next.halt()
              .filter(h -> next.state() == RolloutState.HALTED)
              .ifPresent(
                  h -> {
                    detail.put("kind", h.kind().wireName());
                    detail.put("reason", h.message());
                    detail.set("counters", GatePayload.counters(h.stage() + 1, h.counters()));
                  });
          RolloutService.audit(repos, SYSTEM, next.updatedAt(), action, seen.id(), detail);
          return true;
        });
  }

  private Rollout read(RolloutId id) {
    return transactions.read(repos -> repos.rollouts().find(id).orElseThrow());
  }

  private StageCounters counters(Rollout r) {
    return transactions.read(repos -> repos.rollouts().counters(r.id()).get(r.stage()));
  }

  private StageView view(Rollout r) {
    if (r.stage() < 0) {
      return new StageView(StageCounters.ZERO, 0);
    }
    return transactions.read(
        repos ->
            new StageView(
                repos.rollouts().counters(r.id()).get(r.stage()),
                repos.rollouts().countMembers(r.id(), MemberStatus.PENDING, r.stage())));
  }
}
