package dev.sluice.core.rollout;

import java.util.Objects;

/**
 * What the engine sees of the current stage.
 *
 * @param counters the stage's counters
 * @param pending members of the stage not offered the release yet
 */
public record StageView(StageCounters counters, long pending) {
  public StageView {
    Objects.requireNonNull(counters, "counters");
    if (pending < 0) {
      throw new IllegalArgumentException("pending is not negative");
    }
  }
}
