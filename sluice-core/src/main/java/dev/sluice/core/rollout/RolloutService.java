package dev.sluice.core.rollout;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ListLimit;
import dev.sluice.core.Page;
import dev.sluice.core.PageCursor;
import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.UnitOfWork;
import dev.sluice.core.action.Assignments;
import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.device.DeviceFilters;
import dev.sluice.core.filter.ListFilter;
import dev.sluice.core.filter.SortOrder;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseState;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What operators do with rollouts: create, start, pause, resume, approve a gate, cancel, and read
 * them. The work itself (assigning stages, time-outs, halting) is the {@link RolloutEvaluator}'s.
 * Every change is audited in its own transaction.
 */
public final class RolloutService {
  static final int CANCEL_BATCH = 500;

  private final UnitOfWork<? extends RolloutPorts> transactions;
  private final Assignments<? super RolloutPorts> assignments;
  private final Clock clock;

  public RolloutService(
      UnitOfWork<? extends RolloutPorts> transactions,
      Assignments<? super RolloutPorts> assignments,
      Clock clock) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.assignments = Objects.requireNonNull(assignments, "assignments");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Creates a rollout (state CREATED).
   *
   * @throws SluiceException.NotFound if the release does not exist
   * @throws Conflict if the release is not PUBLISHED
   * @throws SluiceException.InvalidInput if a filter does not parse
   */
  public Rollout create(Principal actor, RolloutSpec spec) {
    actor.require(Role.ADMIN, Role.OPERATOR);
    parse("filter", spec.filter());
    for (StageSpec stage : spec.stages()) {
      if (stage.selection() instanceof StageSelection.Group g) {
        parse("groups", g.filter());
      }
    }
    return transactions.write(
        repos -> {
          Release release =
              repos
                  .releases()
                  .find(spec.release())
                  .orElseThrow(
                      () -> new SluiceException.NotFound("release", spec.release().value()));
          if (release.state() != ReleaseState.PUBLISHED) {
            throw new Conflict(
                ConflictKind.ILLEGAL_TRANSITION,
                "release "
                    + release.id()
                    + " is "
                    + release.state().wireName()
                    + "; only a published release can be rolled out");
          }
          Instant now = clock.instant();
          Rollout rollout =
              Rollout.created(
                  RolloutId.generate(clock), spec, release.product(), actor.name(), now);
          repos.rollouts().insert(rollout);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.set("spec", RolloutSpecJson.toJson(spec));
          audit(repos, actor.name(), now, "rollout.created", rollout.id(), detail);
          return rollout;
        });
  }

  /** Starts a created rollout: RUNNING now, or SCHEDULED until its start time. */
  public Rollout start(Principal actor, RolloutId id) {
    actor.require(Role.ADMIN, Role.OPERATOR);
    return change(
        actor,
        id,
        "rollout.started",
        (repos, r) -> {
          Rollout started = r.start(clock.instant());
          return started.state() == RolloutState.RUNNING ? withBaseline(repos, started) : started;
        });
  }

  public Rollout pause(Principal actor, RolloutId id) {
    actor.require(Role.ADMIN, Role.OPERATOR);
    return change(actor, id, "rollout.paused", (repos, r) -> r.pause(clock.instant()));
  }

  public Rollout resume(Principal actor, RolloutId id) {
    actor.require(Role.ADMIN, Role.OPERATOR);
    return change(actor, id, "rollout.resumed", (repos, r) -> r.resume(clock.instant()));
  }

  /** Lets a rollout waiting at a gate go on to its next stage. */
  public Rollout approve(Principal actor, RolloutId id) {
    actor.require(Role.ADMIN, Role.OPERATOR);
    return change(actor, id, "rollout.approved", (repos, r) -> r.advance(clock.instant()));
  }

  /** Cancels the rollout and its open actions. */
  public Rollout cancel(Principal actor, RolloutId id, Optional<String> reason) {
    actor.require(Role.ADMIN, Role.OPERATOR);
    Rollout canceled =
        change(
            actor,
            id,
            "rollout.canceled",
            (repos, r) -> {
              StageCounters current =
                  r.stage() < 0 ? StageCounters.ZERO : repos.rollouts().counters(id).get(r.stage());
              String message =
                  "canceled by " + actor.name() + reason.map(text -> ": " + text).orElse("");
              return r.cancel(
                  new Halt(
                      Halt.Kind.CANCELED,
                      message,
                      r.stage(),
                      current,
                      Optional.empty(),
                      clock.instant(),
                      actor.name()));
            });
    OpenActions.cancel(
        transactions,
        assignments,
        clock,
        id,
        "rollout " + id + " was canceled",
        CANCEL_BATCH,
        Integer.MAX_VALUE);
    return canceled;
  }

  /**
   * Deletes a rollout that is over (finished, canceled or halted) and whose devices have no open
   * action left (admin or operator, audited). The devices' actions and their history stay.
   *
   * @throws SluiceException.Conflict (ILLEGAL_TRANSITION) while it is not over, or while actions it
   *     created are still open (a canceled rollout's actions are canceled in batches)
   */
  public void delete(Principal actor, RolloutId id) {
    actor.require(Role.ADMIN, Role.OPERATOR);
    Instant now = clock.instant();
    transactions.write(
        repos -> {
          Rollout current =
              repos
                  .rollouts()
                  .findForUpdate(id)
                  .orElseThrow(() -> new SluiceException.NotFound("rollout", id.value()));
          if (!current.state().isTerminal()) {
            throw new SluiceException.Conflict(
                SluiceException.ConflictKind.ILLEGAL_TRANSITION,
                "rollout "
                    + id
                    + " is "
                    + current.state().wireName()
                    + "; only a finished, canceled or halted rollout can be deleted (cancel it"
                    + " first)");
          }
          long open =
              repos.actions().openCountsOfRollout(id.value()).values().stream()
                  .mapToLong(Long::longValue)
                  .sum();
          if (open > 0) {
            throw new SluiceException.Conflict(
                SluiceException.ConflictKind.ILLEGAL_TRANSITION,
                "rollout "
                    + id
                    + " still has "
                    + open
                    + " open device action(s); try again once they are closed");
          }
          repos.rollouts().delete(id);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("state", current.state().wireName());
          detail.put("product", current.product().value());
          detail.put("release", current.spec().release().value());
          audit(repos, actor.name(), now, "rollout.deleted", id, detail);
          return null;
        });
  }

  public RolloutView rollout(Principal actor, RolloutId id) {
    actor.require(Role.ADMIN, Role.OPERATOR, Role.AUDITOR);
    return transactions.read(
        repos -> {
          Rollout r =
              repos
                  .rollouts()
                  .find(id)
                  .orElseThrow(() -> new SluiceException.NotFound("rollout", id.value()));
          return new RolloutView(r, repos.rollouts().counters(id));
        });
  }

  public List<Rollout> list(Principal actor, Optional<RolloutState> state, int limit) {
    actor.require(Role.ADMIN, Role.OPERATOR, Role.AUDITOR);
    ListLimit.check(limit);
    return transactions.read(repos -> repos.rollouts().list(state, limit));
  }

  /** A page of rollouts newest first, from {@code after} on, with the cursor of the next. */
  public Page<Rollout> page(
      Principal actor, Optional<RolloutState> state, Optional<PageCursor> after, int limit) {
    return page(actor, state, new ListFilter.All(), SortOrder.DESCENDING, after, limit);
  }

  /**
   * A page of the rollouts the filter selects, in creation order ({@code order}), from {@code
   * after} on, with the cursor of the next.
   */
  public Page<Rollout> page(
      Principal actor,
      Optional<RolloutState> state,
      ListFilter filter,
      SortOrder order,
      Optional<PageCursor> after,
      int limit) {
    actor.require(Role.ADMIN, Role.OPERATOR, Role.AUDITOR);
    ListLimit.check(limit);
    List<Rollout> fetched =
        transactions.read(repos -> repos.rollouts().list(state, filter, order, after, limit + 1));
    return Page.of(fetched, limit, r -> new PageCursor(r.createdAt(), r.id().value()));
  }

  /** Fixes the baseline failure rate for the sequential test when the rollout begins. */
  static Rollout withBaseline(RolloutPorts repos, Rollout rollout) {
    Optional<SequentialTestSpec> test = rollout.spec().sequentialTest();
    if (test.isEmpty()) {
      return rollout;
    }
    double p0 =
        test.get()
            .baseline()
            .orElseGet(
                () -> {
                  long[] outcomes = repos.rollouts().finishedOutcomes(rollout.product());
                  return Baseline.of(outcomes[0], outcomes[1]);
                });
    return rollout.withBaseline(p0);
  }

  private interface Transition {
    Rollout apply(RolloutPorts repos, Rollout current);
  }

  private Rollout change(Principal actor, RolloutId id, String action, Transition transition) {
    return transactions.write(
        repos -> {
          Rollout current =
              repos
                  .rollouts()
                  .findForUpdate(id)
                  .orElseThrow(() -> new SluiceException.NotFound("rollout", id.value()));
          Rollout next = transition.apply(repos, current);
          repos.rollouts().update(next);
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.put("from", current.state().wireName());
          detail.put("to", next.state().wireName());
          detail.put("stage", next.stage() + 1);
          next.halt().ifPresent(h -> detail.put("reason", h.message()));
          audit(repos, actor.name(), next.updatedAt(), action, id, detail);
          return next;
        });
  }

  private static void parse(String field, String filter) {
    try {
      DeviceFilters.parse(filter);
    } catch (SluiceException.InvalidInput | IllegalArgumentException e) {
      throw new SluiceException.InvalidInput(
          field + ": invalid device filter '" + filter + "': " + e.getMessage(),
          List.of(new SluiceException.Violation("/" + field, e.getMessage())),
          e);
    }
  }

  static void audit(
      RolloutPorts repos,
      String actor,
      Instant at,
      String action,
      RolloutId id,
      ObjectNode detail) {
    repos.audit().append(AuditEvent.draft(at, actor, action, "rollout/" + id, detail));
  }
}
