package dev.sluice.core.rollout;

import java.util.Objects;

/**
 * One stage of a rollout.
 *
 * @param selection which devices the stage takes
 * @param successThreshold the % of the stage's devices that must succeed before the next stage
 * @param errorThreshold the % of the stage's devices whose failure halts the whole rollout
 * @param gate what must allow this stage to start (the first stage's gate is always none)
 */
public record StageSpec(
    StageSelection selection, int successThreshold, int errorThreshold, Gate gate) {
  public StageSpec {
    Objects.requireNonNull(selection, "selection");
    Objects.requireNonNull(gate, "gate");
    if (successThreshold < 1 || successThreshold > 100) {
      throw new IllegalArgumentException("a success threshold is 1 to 100 (%)");
    }
    if (errorThreshold < 0 || errorThreshold > 100) {
      throw new IllegalArgumentException("an error threshold is 0 to 100 (%)");
    }
  }
}
