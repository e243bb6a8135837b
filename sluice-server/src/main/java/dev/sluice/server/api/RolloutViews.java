package dev.sluice.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.core.rollout.Halt;
import dev.sluice.core.rollout.Rollout;
import dev.sluice.core.rollout.RolloutSpecJson;
import dev.sluice.core.rollout.RolloutView;
import dev.sluice.core.rollout.StageCounters;
import dev.sluice.core.rollout.StageSelection;
import dev.sluice.core.rollout.StageSpec;

/** The JSON shapes of rollouts (see /api/v1/openapi.json). Stages are numbered from 1. */
final class RolloutViews {
  private RolloutViews() {}

  static ObjectNode summary(Rollout r) {
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    node.put("id", r.id().value());
    node.put("product", r.product().value());
    node.put("release", r.spec().release().value());
    node.put("state", r.state().wireName());
    node.put("current_stage", r.stage() + 1);
    node.put("stage_count", r.spec().stages().size());
    node.put("created_by", r.createdBy());
    node.put("created_at", Views.time(r.createdAt()));
    node.put("updated_at", Views.time(r.updatedAt()));
    r.startedAt()
        .ifPresentOrElse(
            t -> node.put("started_at", Views.time(t)), () -> node.putNull("started_at"));
    return node;
  }

  static ObjectNode rollout(RolloutView view) {
    Rollout r = view.rollout();
    ObjectNode node = summary(r);
    node.set("spec", RolloutSpecJson.toJson(r.spec()));
    r.baseline()
        .ifPresentOrElse(
            p -> node.put("baseline_failure_rate", p), () -> node.putNull("baseline_failure_rate"));
    ArrayNode stages = node.putArray("stages");
    for (int i = 0; i < r.spec().stages().size(); i++) {
      StageSpec spec = r.spec().stages().get(i);
      ObjectNode s = counters(i + 1, view.stages().get(i));
      switch (spec.selection()) {
        case StageSelection.Percent p -> s.put("percent", p.cumulativePercent());
        case StageSelection.Group g -> s.put("group", g.filter());
      }
      s.put("success_threshold", spec.successThreshold());
      s.put("error_threshold", spec.errorThreshold());
      s.put("gate", spec.gate().wire());
      stages.add(s);
    }
    r.halt().ifPresentOrElse(h -> node.set("halt", halt(h)), () -> node.putNull("halt"));
    r.gateReply().ifPresentOrElse(g -> node.put("gate_reply", g), () -> node.putNull("gate_reply"));
    return node;
  }

  static ObjectNode counters(int stage, StageCounters c) {
    ObjectNode s = WireJson.MAPPER.createObjectNode();
    s.put("stage", stage);
    s.put("assigned", c.assigned());
    s.put("open", c.open());
    s.put("succeeded", c.succeeded());
    s.put("failed", c.failed());
    s.put("canceled", c.canceled());
    return s;
  }

  static ObjectNode halt(Halt h) {
    ObjectNode node = WireJson.MAPPER.createObjectNode();
    node.put("kind", h.kind().wireName());
    node.put("message", h.message());
    node.put("stage", h.stage() + 1);
    node.set("counters", counters(h.stage() + 1, h.counters()));
    h.logLikelihoodRatio().ifPresent(l -> node.put("log_likelihood_ratio", l));
    node.put("at", Views.time(h.at()));
    node.put("by", h.by());
    return node;
  }
}
