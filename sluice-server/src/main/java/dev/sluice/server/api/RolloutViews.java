package dev.sluice.server.api;

import dev.sluice.api.rollout.HaltView;
import dev.sluice.api.rollout.RolloutSummary;
import dev.sluice.api.rollout.StageCountersView;
import dev.sluice.api.rollout.StageView;
import dev.sluice.core.rollout.Halt;
import dev.sluice.core.rollout.Rollout;
import dev.sluice.core.rollout.RolloutSpecJson;
import dev.sluice.core.rollout.RolloutView;
import dev.sluice.core.rollout.StageCounters;
import dev.sluice.core.rollout.StageSelection;
import dev.sluice.core.rollout.StageSpec;
import java.util.ArrayList;
import java.util.List;

/** Maps rollouts to the wire records of {@code sluice-api}. Stages are numbered from 1. */
final class RolloutViews {
  private RolloutViews() {}

  static RolloutSummary summary(Rollout r) {
    return new RolloutSummary(
        r.id().value(),
        r.product().value(),
        r.spec().release().value(),
        r.state().wireName(),
        r.stage() + 1,
        r.spec().stages().size(),
        r.createdBy(),
        Views.time(r.createdAt()),
        Views.time(r.updatedAt()),
        r.startedAt().map(Views::time).orElse(null));
  }

  static dev.sluice.api.rollout.RolloutView rollout(RolloutView view) {
    Rollout r = view.rollout();
    List<StageView> stages = new ArrayList<>();
    for (int i = 0; i < r.spec().stages().size(); i++) {
      StageSpec spec = r.spec().stages().get(i);
      StageCountersView counters = counters(i + 1, view.stages().get(i));
      Integer percent = null;
      String group = null;
      switch (spec.selection()) {
        case StageSelection.Percent p -> percent = p.cumulativePercent();
        case StageSelection.Group g -> group = g.filter();
      }
      stages.add(
          StageView.of(
              counters,
              percent,
              group,
              spec.successThreshold(),
              spec.errorThreshold(),
              spec.gate().wire()));
    }
    return dev.sluice.api.rollout.RolloutView.of(
        summary(r),
        RolloutSpecJson.toJson(r.spec()),
        r.baseline().orElse(null),
        stages,
        r.halt().map(RolloutViews::halt).orElse(null),
        r.gateReply().orElse(null));
  }

  static StageCountersView counters(int stage, StageCounters c) {
    return new StageCountersView(
        stage, c.assigned(), c.open(), c.succeeded(), c.failed(), c.canceled());
  }

  static HaltView halt(Halt h) {
    return new HaltView(
        h.kind().wireName(),
        h.message(),
        h.stage() + 1,
        counters(h.stage() + 1, h.counters()),
        h.logLikelihoodRatio().orElse(null),
        Views.time(h.at()),
        h.by());
  }
}
