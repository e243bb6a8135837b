package dev.sluice.core.rollout;

import dev.sluice.core.SluiceException.Conflict;
import dev.sluice.core.SluiceException.ConflictKind;
import dev.sluice.core.product.ProductName;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A rollout and where it stands. Its transitions return the next value or throw {@link Conflict}
 * ({@code ILLEGAL_TRANSITION}) when the state does not allow them.
 *
 * @param id the id
 * @param spec what it does
 * @param product the release's product (only its devices take part)
 * @param state where it is
 * @param stage the current stage (0-based; -1 before the first is assigned)
 * @param baseline the baseline failure rate p0 fixed at start, for the sequential test
 * @param halt why it stopped, once HALTED or CANCELED
 * @param gateReply the last reply of a webhook gate (status and body excerpt), if any
 * @param createdBy who created it
 * @param createdAt when
 * @param updatedAt when it last changed
 * @param startedAt when it began running
 */
public record Rollout(
    RolloutId id,
    RolloutSpec spec,
    ProductName product,
    RolloutState state,
    int stage,
    Optional<Double> baseline,
    Optional<Halt> halt,
    Optional<String> gateReply,
    String createdBy,
    Instant createdAt,
    Instant updatedAt,
    Optional<Instant> startedAt) {

  public Rollout {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(baseline, "baseline");
    Objects.requireNonNull(halt, "halt");
    Objects.requireNonNull(gateReply, "gateReply");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(startedAt, "startedAt");
    if (stage < -1 || stage >= spec.stages().size()) {
      throw new IllegalArgumentException("stage " + stage + " is not a stage of this rollout");
    }
  }

  /** A new rollout, not started. */
  public static Rollout created(
      RolloutId id, RolloutSpec spec, ProductName product, String createdBy, Instant at) {
    return new Rollout(
        id,
        spec,
        product,
        RolloutState.CREATED,
        -1,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        createdBy,
        at,
        at,
        Optional.empty());
  }

  /** The operator starts it: SCHEDULED if its start time lies ahead, else RUNNING. */
  public Rollout start(Instant now) {
    require("start", RolloutState.CREATED);
    boolean later = spec.startAt().map(t -> t.isAfter(now)).orElse(false);
    return later ? with(RolloutState.SCHEDULED, now) : begin(now);
  }

  /** A scheduled rollout's start time came. */
  public Rollout begin(Instant now) {
    require("begin", RolloutState.CREATED, RolloutState.SCHEDULED);
    return new Rollout(
        id,
        spec,
        product,
        RolloutState.RUNNING,
        stage,
        baseline,
        halt,
        gateReply,
        createdBy,
        createdAt,
        now,
        Optional.of(now));
  }

  public Rollout pause(Instant now) {
    require("pause", RolloutState.RUNNING, RolloutState.WAITING_APPROVAL);
    return with(RolloutState.PAUSED, now);
  }

  /** Resumes a paused rollout (its gate, if it was waiting at one, is asked again). */
  public Rollout resume(Instant now) {
    require("resume", RolloutState.PAUSED);
    return with(RolloutState.RUNNING, now);
  }

  /** Waits at the next stage's gate. */
  public Rollout awaitGate(Instant now) {
    require("wait for approval", RolloutState.RUNNING);
    return with(RolloutState.WAITING_APPROVAL, now);
  }

  /** Moves to the next stage (after its gate said yes, or without a gate). */
  public Rollout advance(Instant now) {
    require("advance", RolloutState.RUNNING, RolloutState.WAITING_APPROVAL);
    if (stage + 1 >= spec.stages().size()) {
      throw new IllegalStateException("the last stage has no next stage");
    }
    return new Rollout(
        id,
        spec,
        product,
        RolloutState.RUNNING,
        stage + 1,
        baseline,
        halt,
        Optional.empty(),
        createdBy,
        createdAt,
        now,
        startedAt);
  }

  public Rollout halt(Halt reason) {
    require("halt", RolloutState.RUNNING, RolloutState.PAUSED, RolloutState.WAITING_APPROVAL);
    return stop(RolloutState.HALTED, reason);
  }

  public Rollout cancel(Halt reason) {
    require(
        "cancel",
        RolloutState.CREATED,
        RolloutState.SCHEDULED,
        RolloutState.RUNNING,
        RolloutState.PAUSED,
        RolloutState.WAITING_APPROVAL);
    return stop(RolloutState.CANCELED, reason);
  }

  public Rollout finish(Instant now) {
    require("finish", RolloutState.RUNNING);
    return with(RolloutState.FINISHED, now);
  }

  public Rollout withBaseline(double p0) {
    return new Rollout(
        id,
        spec,
        product,
        state,
        stage,
        Optional.of(p0),
        halt,
        gateReply,
        createdBy,
        createdAt,
        updatedAt,
        startedAt);
  }

  public Rollout withGateReply(String reply, Instant now) {
    return new Rollout(
        id,
        spec,
        product,
        state,
        stage,
        baseline,
        halt,
        Optional.of(reply),
        createdBy,
        createdAt,
        now,
        startedAt);
  }

  /** The gate the rollout waits at (or would wait at) before its next stage. */
  public Optional<Gate> nextGate() {
    return stage + 1 < spec.stages().size()
        ? Optional.of(spec.stages().get(stage + 1).gate())
        : Optional.empty();
  }

  private Rollout stop(RolloutState next, Halt reason) {
    return new Rollout(
        id,
        spec,
        product,
        next,
        stage,
        baseline,
        Optional.of(reason),
        gateReply,
        createdBy,
        createdAt,
        reason.at(),
        startedAt);
  }

  private Rollout with(RolloutState next, Instant now) {
    return new Rollout(
        id, spec, product, next, stage, baseline, halt, gateReply, createdBy, createdAt, now,
        startedAt);
  }

  private void require(String what, RolloutState... allowed) {
    if (!Arrays.asList(allowed).contains(state)) {
      throw new Conflict(
          ConflictKind.ILLEGAL_TRANSITION,
          "rollout " + id + " is " + state.wireName() + "; it cannot " + what);
    }
  }
}
