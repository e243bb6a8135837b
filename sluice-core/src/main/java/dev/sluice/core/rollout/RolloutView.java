package dev.sluice.core.rollout;

import java.util.List;
import java.util.Objects;

/** A rollout with each stage's counters, as {@code show} presents it. */
public record RolloutView(Rollout rollout, List<StageCounters> stages) {
  public RolloutView {
    Objects.requireNonNull(rollout, "rollout");
    stages = List.copyOf(stages);
  }
}
