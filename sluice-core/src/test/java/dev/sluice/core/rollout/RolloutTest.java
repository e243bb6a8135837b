package dev.sluice.core.rollout;

import static dev.sluice.core.rollout.Rollouts.T0;
import static dev.sluice.core.rollout.Rollouts.percentages;
import static dev.sluice.core.rollout.Rollouts.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.device.ControllerId;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RolloutTest {
  static final RolloutSpec SPEC = spec(percentages(95, 5, Gate.MANUAL, 10, 100));
  static final Halt CANCEL =
      new Halt(Halt.Kind.CANCELED, "canceled", -1, StageCounters.ZERO, Optional.empty(), T0, "op");

  @Test
  void theLifeOfARollout() {
    Rollout r = Rollouts.created(SPEC);
    assertThat(r.state()).isEqualTo(RolloutState.CREATED);
    r = r.start(T0);
    assertThat(r.state()).isEqualTo(RolloutState.RUNNING);
    assertThat(r.startedAt()).contains(T0);
    r = r.advance(T0);
    assertThat(r.stage()).isZero();
    r = r.pause(T0);
    assertThat(r.state()).isEqualTo(RolloutState.PAUSED);
    r = r.resume(T0);
    r = r.awaitGate(T0).withGateReply("503 not yet", T0);
    assertThat(r.state()).isEqualTo(RolloutState.WAITING_APPROVAL);
    assertThat(r.nextGate()).contains(Gate.MANUAL);
    r = r.advance(T0);
    assertThat(r.state()).isEqualTo(RolloutState.RUNNING);
    assertThat(r.stage()).isEqualTo(1);
    assertThat(r.gateReply()).isEmpty();
    assertThat(r.finish(T0).state()).isEqualTo(RolloutState.FINISHED);
  }

  @Test
  void illegalTransitionsAreConflicts() {
    Rollout created = Rollouts.created(SPEC);
    assertThatThrownBy(() -> created.pause(T0))
        .isInstanceOf(SluiceException.Conflict.class)
        .hasMessageContaining("is created; it cannot pause");
    assertThatThrownBy(() -> created.resume(T0)).isInstanceOf(SluiceException.Conflict.class);
    Rollout running = created.start(T0);
    assertThatThrownBy(() -> running.start(T0)).isInstanceOf(SluiceException.Conflict.class);
    assertThatThrownBy(() -> running.resume(T0)).isInstanceOf(SluiceException.Conflict.class);
    Rollout canceled = running.cancel(CANCEL);
    assertThat(canceled.halt()).contains(CANCEL);
    for (var attempt :
        java.util.List.<Runnable>of(
            () -> canceled.cancel(CANCEL),
            () -> canceled.resume(T0),
            () -> canceled.advance(T0),
            () -> canceled.halt(CANCEL))) {
      assertThatThrownBy(attempt::run).isInstanceOf(SluiceException.Conflict.class);
    }
    assertThat(created.cancel(CANCEL).state()).isEqualTo(RolloutState.CANCELED);
  }

  @Test
  void aRolloutWithAStartTimeIsScheduled() {
    RolloutSpec later =
        spec(percentages(95, 5, Gate.NONE, 100), Optional.of(T0.plusSeconds(60)), Optional.empty());
    Rollout r = Rollouts.created(later).start(T0);
    assertThat(r.state()).isEqualTo(RolloutState.SCHEDULED);
    assertThat(r.begin(T0.plusSeconds(60)).state()).isEqualTo(RolloutState.RUNNING);
    assertThat(Rollouts.created(later).start(T0.plusSeconds(61)).state())
        .isEqualTo(RolloutState.RUNNING);
  }

  @Test
  void stageOrderIsReproducibleAndDiffersBetweenRollouts() {
    RolloutId a = RolloutId.generate(Clock.fixed(T0, ZoneOffset.UTC));
    RolloutId b = RolloutId.generate(Clock.fixed(T0, ZoneOffset.UTC));
    ControllerId device = new ControllerId("dev-1");
    assertThat(StageMembership.rank(a, device)).isEqualTo(StageMembership.rank(a, device));
    assertThat(StageMembership.rank(a, device)).isNotEqualTo(StageMembership.rank(b, device));
    // The 10% with the lowest ranks are spread over the fleet, not the first ids.
    var firstTenth =
        IntStream.range(0, 1000)
            .mapToObj(i -> new ControllerId("dev-" + i))
            .sorted(
                java.util.Comparator.comparingLong((ControllerId d) -> StageMembership.rank(a, d)))
            .limit(100)
            .map(d -> Integer.parseInt(d.value().substring(4)))
            .toList();
    assertThat(firstTenth.stream().filter(i -> i < 500).count()).isBetween(30L, 70L);
    Set<Long> distinct = new HashSet<>();
    IntStream.range(0, 1000)
        .forEach(i -> distinct.add(StageMembership.rank(a, new ControllerId("dev-" + i))));
    assertThat(distinct).hasSize(1000);
  }

  @Test
  void idsHaveTheirPrefixAndRefuseOthers() {
    assertThat(RolloutId.generate(Clock.systemUTC()).value()).matches("ro_[0-9A-Z]{26}");
    assertThatThrownBy(() -> new RolloutId("rel_01ARZ3NDEKTSV4RRFFQ69G5FAV"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
