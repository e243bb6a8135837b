package dev.sluice.core.rollout;

import dev.sluice.core.product.ProductName;
import dev.sluice.core.release.ReleaseId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rollout specs and rollouts for tests, built in code. */
final class Rollouts {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final ReleaseId RELEASE = ReleaseId.generate(Clock.fixed(T0, ZoneOffset.UTC));
  static final ProductName PRODUCT = new ProductName("acme-phone");

  private Rollouts() {}

  static List<StageSpec> percentages(int success, int error, Gate gate, int... percents) {
    List<StageSpec> stages = new ArrayList<>();
    for (int p : percents) {
      stages.add(
          new StageSpec(
              new StageSelection.Percent(p), success, error, stages.isEmpty() ? Gate.NONE : gate));
    }
    return stages;
  }

  static RolloutSpec spec(List<StageSpec> stages) {
    return spec(stages, Optional.empty(), Optional.empty());
  }

  static RolloutSpec spec(
      List<StageSpec> stages, Optional<Instant> startAt, Optional<SequentialTestSpec> test) {
    return RolloutSpec.builder(RELEASE, stages)
        .filter("tag==beta")
        .startAt(startAt)
        .sequentialTest(test)
        .build();
  }

  static Rollout created(RolloutSpec spec) {
    return Rollout.created(
        RolloutId.generate(Clock.fixed(T0, ZoneOffset.UTC)), spec, PRODUCT, "operator", T0);
  }

  /** A rollout running in {@code stage} (0-based). */
  static Rollout running(RolloutSpec spec, int stage) {
    Rollout r = created(spec).start(T0);
    for (int i = 0; i <= stage; i++) {
      r = r.advance(T0);
    }
    return r;
  }
}
