package dev.sluice.core.rollout;

import static dev.sluice.core.rollout.Rollouts.T0;
import static dev.sluice.core.rollout.Rollouts.percentages;
import static dev.sluice.core.rollout.Rollouts.running;
import static dev.sluice.core.rollout.Rollouts.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutEngineTest {
  static final RolloutSpec FOUR_STAGES = spec(percentages(95, 5, Gate.NONE, 1, 10, 50, 100));

  static StageView stage(long assigned, long open, long succeeded, long failed) {
    return new StageView(
        new StageCounters(assigned, open, succeeded, failed, assigned - open - succeeded - failed),
        0);
  }

  @Test
  void aStartedRolloutOffersItsFirstStage() {
    Rollout r = Rollouts.created(FOUR_STAGES).start(T0);
    assertThat(RolloutEngine.decide(r, stage(0, 0, 0, 0), T0)).isEqualTo(new Step.Advance(0));
  }

  @Test
  void aStageAdvancesOnceItsSuccessThresholdIsReached() {
    Rollout r = running(FOUR_STAGES, 1);
    assertThat(RolloutEngine.decide(r, stage(100, 6, 94, 0), T0)).isEqualTo(Step.WAIT);
    assertThat(RolloutEngine.decide(r, stage(100, 5, 95, 0), T0)).isEqualTo(new Step.Advance(2));
  }

  @Test
  void aStageDoesNotAdvanceWhileDevicesAreStillToBeOffered() {
    Rollout r = running(FOUR_STAGES, 1);
    StageView passedButPending = new StageView(new StageCounters(100, 0, 100, 0, 0), 3);
    assertThat(RolloutEngine.decide(r, passedButPending, T0)).isEqualTo(Step.WAIT);
  }

  @Test
  void theLastStageFinishesWhenItPassedAndNothingIsOpen() {
    Rollout r = running(FOUR_STAGES, 3);
    assertThat(RolloutEngine.decide(r, stage(100, 2, 98, 0), T0)).isEqualTo(Step.WAIT);
    assertThat(RolloutEngine.decide(r, stage(100, 0, 98, 2), T0)).isEqualTo(new Step.Finish());
  }

  @Test
  void anEmptyStagePassesAtOnce() {
    Rollout r = running(FOUR_STAGES, 0);
    assertThat(RolloutEngine.decide(r, stage(0, 0, 0, 0), T0)).isEqualTo(new Step.Advance(1));
  }

  @Test
  void theErrorThresholdHaltsWithTheNumbers() {
    Rollout r = running(FOUR_STAGES, 1);
    assertThat(RolloutEngine.decide(r, stage(100, 96, 0, 4), T0)).isEqualTo(Step.WAIT);
    Step step = RolloutEngine.decide(r, stage(100, 95, 0, 5), T0);
    assertThat(step).isInstanceOf(Step.Stop.class);
    Halt halt = ((Step.Stop) step).halt();
    assertThat(halt.kind()).isEqualTo(Halt.Kind.ERROR_THRESHOLD);
    assertThat(halt.stage()).isEqualTo(1);
    assertThat(halt.counters().failed()).isEqualTo(5);
    assertThat(halt.message())
        .contains("stage 2 of 4", "5 of 100", "5.0%", "error threshold of 5%");
  }

  @Test
  void cancelledDevicesCountNeitherWay() {
    Rollout r = running(FOUR_STAGES, 1);
    // 20 cancelled: 76 of the remaining 80 is 95%.
    StageView view = new StageView(new StageCounters(100, 0, 76, 4, 20), 0);
    assertThat(RolloutEngine.decide(r, view, T0)).isEqualTo(new Step.Stop(haltOf(r, view)));
    assertThat(haltOf(r, view).kind()).isEqualTo(Halt.Kind.ERROR_THRESHOLD);
    StageView fine = new StageView(new StageCounters(100, 0, 77, 3, 20), 0);
    assertThat(RolloutEngine.decide(r, fine, T0)).isEqualTo(new Step.Advance(2));
  }

  private static Halt haltOf(Rollout r, StageView view) {
    return RolloutEngine.haltReason(r, view.counters(), T0).orElseThrow();
  }

  @Test
  void aFinishedStageBelowItsSuccessThresholdHalts() {
    Rollout r = running(spec(percentages(95, 50, Gate.NONE, 50, 100)), 0);
    // While devices are open the stage may still pass (or at least they still get the release).
    assertThat(RolloutEngine.decide(r, stage(100, 2, 90, 8), T0)).isEqualTo(Step.WAIT);
    Step step = RolloutEngine.decide(r, stage(100, 0, 92, 8), T0);
    assertThat(step).isInstanceOf(Step.Stop.class);
    assertThat(((Step.Stop) step).halt().kind()).isEqualTo(Halt.Kind.SUCCESS_UNREACHABLE);
  }

  @Test
  void aGatedStageWaitsForItsGate() {
    Rollout r = running(spec(percentages(90, 10, Gate.MANUAL, 10, 100)), 0);
    assertThat(RolloutEngine.decide(r, stage(10, 0, 10, 0), T0))
        .isEqualTo(new Step.AwaitGate(1, Gate.MANUAL));
    Rollout waiting = r.awaitGate(T0);
    assertThat(RolloutEngine.decide(waiting, stage(10, 0, 10, 0), T0)).isEqualTo(Step.WAIT);
    assertThat(waiting.advance(T0).stage()).isEqualTo(1);
  }

  @Test
  void pausedAndGatedRolloutsStillHalt() {
    Rollout paused = running(FOUR_STAGES, 1).pause(T0);
    assertThat(RolloutEngine.decide(paused, stage(100, 0, 94, 6), T0))
        .isInstanceOf(Step.Stop.class);
    assertThat(RolloutEngine.decide(paused, stage(100, 0, 100, 0), T0)).isEqualTo(Step.WAIT);
  }

  @Test
  void aScheduledRolloutBeginsAtItsStartTime() {
    RolloutSpec later =
        spec(
            percentages(95, 5, Gate.NONE, 100),
            Optional.of(T0.plus(Duration.ofHours(2))),
            Optional.empty());
    Rollout scheduled = Rollouts.created(later).start(T0);
    assertThat(scheduled.state()).isEqualTo(RolloutState.SCHEDULED);
    assertThat(RolloutEngine.decide(scheduled, stage(0, 0, 0, 0), T0.plusSeconds(7199)))
        .isEqualTo(Step.WAIT);
    assertThat(RolloutEngine.decide(scheduled, stage(0, 0, 0, 0), T0.plusSeconds(7200)))
        .isEqualTo(new Step.Begin());
  }

  @Test
  void stoppedRolloutsHaveNothingToDo() {
    Rollout r = running(FOUR_STAGES, 1);
    Halt halt = haltOf(r, stage(100, 0, 0, 100));
    for (Rollout stopped :
        List.of(r.halt(halt), r.cancel(halt), running(FOUR_STAGES, 3).finish(T0))) {
      assertThat(RolloutEngine.decide(stopped, stage(100, 0, 0, 100), T0)).isEqualTo(Step.WAIT);
    }
  }

  @Test
  void theSequentialTestHaltsBeforeTheErrorThreshold() {
    RolloutSpec tested =
        spec(
            percentages(95, 20, Gate.NONE, 10, 100),
            Optional.empty(),
            Optional.of(SequentialTestSpec.DEFAULT));
    Rollout r = running(tested, 0).withBaseline(0.02);
    // 4 failures among the first 4 reports of 1000 devices: 0.4% of the stage, far below 20%.
    Step step = RolloutEngine.decide(r, stage(1000, 996, 0, 4), T0);
    assertThat(step).isInstanceOf(Step.Stop.class);
    Halt halt = ((Step.Stop) step).halt();
    assertThat(halt.kind()).isEqualTo(Halt.Kind.SEQUENTIAL_TEST);
    assertThat(halt.logLikelihoodRatio()).hasValueSatisfying(l -> assertThat(l).isGreaterThan(4.5));
    assertThat(halt.message()).contains("2.00%", "7.00%");
    assertThat(RolloutEngine.decide(r, stage(1000, 960, 37, 3), T0)).isEqualTo(Step.WAIT);
  }
}
