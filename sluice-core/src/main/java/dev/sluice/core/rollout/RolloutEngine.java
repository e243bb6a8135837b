package dev.sluice.core.rollout;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The rollout rules, as a pure function from (rollout, current stage, now) to the next {@link
 * Step}. It reads no database and keeps no state, so every transition is unit-tested directly and
 * the evaluator only carries steps out.
 *
 * <p>Order of the rules for a running (or paused, or gated) rollout: (1) the stage's failures
 * reached its error threshold → halt; (2) the sequential test rejects the baseline → halt; (3)
 * every device of the stage finished and too few succeeded → halt; and only while RUNNING with
 * nothing pending: (4) the success threshold is reached → the next stage (or its gate), or, on the
 * last stage once nothing is open, finish. A stage that holds no devices passes at once.
 */
public final class RolloutEngine {
  public static final String SYSTEM = "system";

  private RolloutEngine() {}

  public static Step decide(Rollout rollout, StageView current, Instant now) {
    return switch (rollout.state()) {
      case CREATED, HALTED, FINISHED, CANCELED -> Step.WAIT;
      case SCHEDULED ->
          rollout.spec().startAt().map(t -> !t.isAfter(now)).orElse(true)
              ? new Step.Begin()
              : Step.WAIT;
      case RUNNING, PAUSED, WAITING_APPROVAL -> active(rollout, current, now);
    };
  }

  private static Step active(Rollout rollout, StageView current, Instant now) {
    if (rollout.stage() < 0) {
      return rollout.state() == RolloutState.RUNNING ? new Step.Advance(0) : Step.WAIT;
    }
    Optional<Halt> halt = haltReason(rollout, current.counters(), now);
    if (halt.isPresent()) {
      return new Step.Stop(halt.get());
    }
    if (rollout.state() != RolloutState.RUNNING || current.pending() > 0) {
      return Step.WAIT;
    }
    StageCounters c = current.counters();
    StageSpec stage = rollout.spec().stages().get(rollout.stage());
    boolean empty = c.counted() == 0 && c.open() == 0;
    if (!empty && !c.succeededAtLeast(stage.successThreshold())) {
      return Step.WAIT;
    }
    int next = rollout.stage() + 1;
    if (next == rollout.spec().stages().size()) {
      return c.open() == 0 ? new Step.Finish() : Step.WAIT;
    }
    Gate gate = rollout.spec().stages().get(next).gate();
    return gate instanceof Gate.None ? new Step.Advance(next) : new Step.AwaitGate(next, gate);
  }

  /** Why the rollout must stop now, if it must. */
  static Optional<Halt> haltReason(Rollout rollout, StageCounters c, Instant now) {
    StageSpec stage = rollout.spec().stages().get(rollout.stage());
    Optional<Double> llr =
        rollout
            .spec()
            .sequentialTest()
            .flatMap(
                spec ->
                    rollout
                        .baseline()
                        .map(
                            p0 ->
                                FailureRateTest.against(p0, spec)
                                    .logLikelihoodRatio(c.failed(), c.succeeded())));
    String where = "stage " + (rollout.stage() + 1) + " of " + rollout.spec().stages().size();
    if (c.failedAtLeast(stage.errorThreshold())) {
      return Optional.of(
          new Halt(
              Halt.Kind.ERROR_THRESHOLD,
              String.format(
                  Locale.ROOT,
                  "%s: %d of %d devices failed (%.1f%%), at or above the error threshold of %d%%",
                  where,
                  c.failed(),
                  c.counted(),
                  100.0 * c.failed() / c.counted(),
                  stage.errorThreshold()),
              rollout.stage(),
              c,
              llr,
              now,
              SYSTEM));
    }
    if (rollout.spec().sequentialTest().isPresent() && rollout.baseline().isPresent()) {
      FailureRateTest test =
          FailureRateTest.against(rollout.baseline().get(), rollout.spec().sequentialTest().get());
      if (test.halts(c.failed(), c.succeeded())) {
        return Optional.of(
            new Halt(
                Halt.Kind.SEQUENTIAL_TEST,
                String.format(
                    Locale.ROOT,
                    "%s: %d failed and %d succeeded; the sequential test rejects the baseline"
                        + " failure rate %.2f%% in favour of %.2f%% (log-likelihood ratio %.3f ≥"
                        + " %.3f = ln((1-β)/α), α=%s, β=%s)",
                    where,
                    c.failed(),
                    c.succeeded(),
                    100 * test.p0(),
                    100 * test.p1(),
                    test.logLikelihoodRatio(c.failed(), c.succeeded()),
                    test.haltAt(),
                    test.alpha(),
                    test.beta()),
                rollout.stage(),
                c,
                llr,
                now,
                SYSTEM));
      }
    }
    if (c.finishedBelow(stage.successThreshold())) {
      return Optional.of(
          new Halt(
              Halt.Kind.SUCCESS_UNREACHABLE,
              String.format(
                  Locale.ROOT,
                  "%s: every device finished but only %d of %d succeeded (%.1f%%), below the success"
                      + " threshold of %d%%",
                  where,
                  c.succeeded(),
                  c.counted(),
                  100.0 * c.succeeded() / c.counted(),
                  stage.successThreshold()),
              rollout.stage(),
              c,
              llr,
              now,
              SYSTEM));
    }
    return Optional.empty();
  }
}
