package dev.sluice.core.rollout;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.SluiceException;
import dev.sluice.core.action.Action;
import dev.sluice.core.action.Assignments;
import dev.sluice.core.action.NewAction;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceFilter;
import dev.sluice.core.device.DeviceFilters;
import dev.sluice.core.port.Repositories;
import dev.sluice.core.port.RolloutRepository;
import dev.sluice.core.port.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  public static final int MAX_DEVICES_PER_RUN = 100_000;
  public static final Duration LEASE = Duration.ofSeconds(15);
  public static final Duration WEBHOOK_INTERVAL = Duration.ofSeconds(30);
  static final String SYSTEM = RolloutEngine.SYSTEM;

  private static final List<RolloutState> ACTIVE =
      List.of(
          RolloutState.SCHEDULED,
          RolloutState.RUNNING,
          RolloutState.PAUSED,
          RolloutState.WAITING_APPROVAL);

  private final Transactions transactions;
  private final Assignments assignments;
  private final GateCheck gates;
  private final Clock clock;
  private final String owner;
  private final BiConsumer<RolloutId, RuntimeException> onError;

  public RolloutEvaluator(
      Transactions transactions,
      Assignments assignments,
      GateCheck gates,
      Clock clock,
      String owner,
      BiConsumer<RolloutId, RuntimeException> onError) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.assignments = Objects.requireNonNull(assignments, "assignments");
    this.gates = Objects.requireNonNull(gates, "gates");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.onError = Objects.requireNonNull(onError, "onError");
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
    RolloutEvaluator fenced =
        new RolloutEvaluator(
            new Fenced(transactions, id, owner, epoch.getAsLong(), clock),
            assignments,
            gates,
            clock,
            owner,
            onError);
    try {
      try {
        fenced.work(id, new int[] {MAX_DEVICES_PER_RUN});
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
  private record Fenced(Transactions delegate, RolloutId id, String owner, long epoch, Clock clock)
      implements Transactions {
    @Override
    public <T> T write(java.util.function.Function<dev.sluice.core.port.Repositories, T> work) {
      return delegate.write(
          repos -> {
            if (!repos.rollouts().renew(id, owner, epoch, clock.instant().plus(LEASE))) {
              throw new LeaseLost(id);
            }
            return work.apply(repos);
          });
    }

    @Override
    public <T> T read(java.util.function.Function<dev.sluice.core.port.Repositories, T> work) {
      return delegate.read(work);
    }
  }

  private void work(RolloutId id, int[] budget) {
    // Each pass either changes the rollout's state or stage, or returns; the bound is a safeguard.
    for (int pass = 0; pass < 2 * RolloutSpec.MAX_STAGES + 8 && budget[0] > 0; pass++) {
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
        if (!collectMembers(r, budget)) {
          return;
        }
        continue;
      }
      expireSilent(r, budget);
      if (r.state() == RolloutState.RUNNING) {
        join(r, budget);
        retry(r, budget);
        Optional<String> refused = offerPending(r, budget);
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
          if (!(r.state() == RolloutState.WAITING_APPROVAL && askWebhook(r))) {
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

  /** Records the devices matched at start, a page per transaction; true once all are recorded. */
  private boolean collectMembers(Rollout r, int[] budget) {
    DeviceFilter filter = DeviceFilters.parse(r.spec().filter());
    List<DeviceFilter> groups = groupFilters(r);
    while (budget[0] > 0) {
      boolean done =
          transactions.write(
              repos -> {
                RolloutRepository rollouts = repos.rollouts();
                RolloutProgress progress = rollouts.progress(r.id());
                List<Device> page =
                    repos
                        .devices()
                        .list(Optional.of(r.product()), filter, progress.membershipAfter(), BATCH);
                List<RolloutDevice> members = new ArrayList<>();
                for (Device d : page) {
                  int stage = r.spec().grouped() ? groupOf(groups, d) : -1;
                  if (!r.spec().grouped() || stage >= 0) {
                    members.add(member(r, d, stage));
                  }
                }
                rollouts.addMembers(members);
                boolean last = page.size() < BATCH;
                var after =
                    page.isEmpty() ? progress.membershipAfter() : Optional.of(page.getLast().id());
                RolloutProgress next = progress.membershipAt(after, last);
                if (last) {
                  cutStages(rollouts, r);
                  next = next.joinedFrom(r.startedAt().orElse(clock.instant()));
                }
                rollouts.saveProgress(r.id(), next);
                return last;
              });
      budget[0] -= BATCH;
      if (done) {
        return true;
      }
    }
    return false;
  }

  /** Percentage stages: the first ceil(n·p/100) members by rank, cumulatively. */
  private static void cutStages(RolloutRepository rollouts, Rollout r) {
    if (r.spec().grouped()) {
      return;
    }
    long matched = rollouts.memberCount(r.id());
    long before = 0;
    for (int i = 0; i < r.spec().stages().size(); i++) {
      long cumulative = r.spec().cumulativeSize(i, matched);
      rollouts.stageByRank(r.id(), i, cumulative - before);
      before = cumulative;
    }
  }

  /** Dynamic rollouts: devices registered since the last look join (into the current stage). */
  private void join(Rollout r, int[] budget) {
    if (!r.spec().dynamic() || r.stage() < 0) {
      return;
    }
    DeviceFilter filter = DeviceFilters.parse(r.spec().filter());
    List<DeviceFilter> groups = groupFilters(r);
    while (budget[0] > 0) {
      int n =
          transactions.write(
              repos -> {
                RolloutRepository rollouts = repos.rollouts();
                RolloutProgress progress = rollouts.progress(r.id());
                List<Device> page =
                    repos
                        .devices()
                        .registeredAfter(
                            Optional.of(r.product()),
                            filter,
                            progress.joinedSince().orElseThrow(),
                            progress.joinedAfter(),
                            BATCH);
                List<RolloutDevice> members = new ArrayList<>();
                for (Device d : page) {
                  int stage = r.spec().grouped() ? groupOf(groups, d) : r.stage();
                  if (stage >= 0) {
                    members.add(member(r, d, stage));
                  }
                }
                rollouts.addMembers(members);
                if (!page.isEmpty()) {
                  Device last = page.getLast();
                  rollouts.saveProgress(r.id(), progress.joinedAt(last.registeredAt(), last.id()));
                }
                return page.size();
              });
      budget[0] -= n;
      if (n < BATCH) {
        return;
      }
    }
  }

  /** Offers the release to pending devices of the stages so far; a refusal's reason if refused. */
  private Optional<String> offerPending(Rollout r, int[] budget) {
    while (budget[0] > 0) {
      Outcome outcome =
          transactions.write(
              repos -> {
                Rollout current = repos.rollouts().findForUpdate(r.id()).orElseThrow();
                if (current.state() != RolloutState.RUNNING || current.stage() != r.stage()) {
                  return new Outcome(0, Optional.empty());
                }
                List<RolloutDevice> page =
                    repos.rollouts().members(r.id(), MemberStatus.PENDING, r.stage(), BATCH);
                return offer(repos, current, page);
              });
      budget[0] -= outcome.offered();
      if (outcome.refused().isPresent() || outcome.offered() < BATCH) {
        return outcome.refused();
      }
    }
    return Optional.empty();
  }

  /** Offers another attempt to devices whose failure the retry policy retries. */
  private void retry(Rollout r, int[] budget) {
    while (budget[0] > 0) {
      int n =
          transactions.write(
              repos -> {
                Rollout current = repos.rollouts().findForUpdate(r.id()).orElseThrow();
                if (current.state() != RolloutState.RUNNING) {
                  return 0;
                }
                List<RolloutDevice> page =
                    repos.rollouts().members(r.id(), MemberStatus.RETRY, r.stage(), BATCH);
                Outcome outcome = offer(repos, current, page);
                return outcome.refused().isPresent() ? 0 : page.size();
              });
      budget[0] -= n;
      if (n < BATCH) {
        return;
      }
    }
  }

  private record Outcome(int offered, Optional<String> refused) {}

  private Outcome offer(Repositories repos, Rollout r, List<RolloutDevice> page) {
    Instant now = clock.instant();
    Map<Integer, StageDelta> deltas = new HashMap<>();
    int offered = 0;
    Optional<String> refused = Optional.empty();
    for (RolloutDevice m : page) {
      try {
        Action action = assignments.assign(repos, newAction(r, m), now);
        repos.rollouts().saveMember(m.offered(action.id(), now));
        if (m.status() == MemberStatus.PENDING) {
          deltas.merge(m.stage(), StageDelta.OFFERED, StageDelta::plus);
        }
      } catch (SluiceException.NotFound gone) {
        // The device was removed: it leaves the stage without counting for or against it.
        leave(repos, m, now, deltas);
      } catch (SluiceException.Conflict conflict) {
        if (repos.devices().find(m.device()).map(Device::decommissioned).orElse(false)) {
          // Decommissioned (e.g. waiting for a retry): it leaves the stage like a removed device.
          leave(repos, m, now, deltas);
          offered++;
          continue;
        }
        refused = Optional.of(conflict.getMessage());
        break;
      }
      offered++;
    }
    deltas.forEach((stage, delta) -> repos.rollouts().addToStage(r.id(), stage, delta));
    return new Outcome(offered, refused);
  }

  private static void leave(
      Repositories repos, RolloutDevice m, Instant now, Map<Integer, StageDelta> deltas) {
    repos.rollouts().saveMember(m.with(MemberStatus.CANCELED, now));
    StageDelta skipped =
        m.status() == MemberStatus.PENDING ? StageDelta.SKIPPED : StageDelta.CANCELED;
    deltas.merge(m.stage(), skipped, StageDelta::plus);
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

  /** Fails open actions whose device stayed silent past the in-progress timeout. */
  private void expireSilent(Rollout r, int[] budget) {
    Duration timeout = r.spec().inProgressTimeout();
    String reason = "no status report for " + timeout + " (in-progress timeout)";
    while (budget[0] > 0) {
      int n =
          transactions.write(
              repos -> {
                Instant now = clock.instant();
                RolloutRepository rollouts = repos.rollouts();
                List<RolloutDevice> silent =
                    rollouts.silentSince(r.id(), now.minus(timeout), BATCH);
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
      budget[0] -= n;
      if (n < BATCH) {
        return;
      }
    }
  }

  /** Asks the webhook gate (at most every {@link #WEBHOOK_INTERVAL}); true if it approved. */
  private boolean askWebhook(Rollout r) {
    if (!(r.nextGate().orElse(Gate.NONE) instanceof Gate.Webhook webhook)) {
      return false;
    }
    Instant now = clock.instant();
    RolloutProgress progress = transactions.read(repos -> repos.rollouts().progress(r.id()));
    if (progress.gateCheckedAt().map(t -> t.plus(WEBHOOK_INTERVAL).isAfter(now)).orElse(false)) {
      return false;
    }
    ObjectNode payload =
        transactions.read(repos -> GatePayload.of(r, repos.rollouts().counters(r.id())));
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
            RolloutService.audit(repos, SYSTEM, now, "rollout.approved", r.id(), detail);
          }
          rollouts.update(next);
          return reply.approved();
        });
  }

  private interface Transition {
    Rollout apply(Repositories repos, Rollout current);
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

  private List<DeviceFilter> groupFilters(Rollout r) {
    List<DeviceFilter> groups = new ArrayList<>();
    for (StageSpec stage : r.spec().stages()) {
      if (stage.selection() instanceof StageSelection.Group g) {
        groups.add(DeviceFilters.parse(g.filter()));
      }
    }
    return groups;
  }

  private static int groupOf(List<DeviceFilter> groups, Device device) {
    for (int i = 0; i < groups.size(); i++) {
      if (groups.get(i).matches(device)) {
        return i;
      }
    }
    return -1;
  }

  private RolloutDevice member(Rollout r, Device d, int stage) {
    return new RolloutDevice(
        r.id(),
        d.id(),
        StageMembership.rank(r.id(), d.id()),
        stage,
        MemberStatus.PENDING,
        Optional.empty(),
        0,
        false,
        clock.instant());
  }
}
