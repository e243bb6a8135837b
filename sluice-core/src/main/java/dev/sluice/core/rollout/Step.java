package dev.sluice.core.rollout;

import java.util.Objects;

/** What the {@link RolloutEngine} decided should happen to a rollout next. */
public sealed interface Step {

  /** Nothing to do now. */
  record Wait() implements Step {}

  /** A scheduled rollout's time has come: begin running. */
  record Begin() implements Step {}

  /** Offer the release to the next stage's devices. */
  record Advance(int stage) implements Step {}

  /** The current stage passed; the next stage waits for its gate. */
  record AwaitGate(int stage, Gate gate) implements Step {
    public AwaitGate {
      Objects.requireNonNull(gate, "gate");
    }
  }

  /** Stop the whole rollout and cancel its open actions. */
  record Stop(Halt halt) implements Step {
    public Stop {
      Objects.requireNonNull(halt, "halt");
    }
  }

  /** The last stage passed and nothing is open: done. */
  record Finish() implements Step {}

  Step WAIT = new Wait();
}
