package dev.sluice.core.rollout;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The JSON a webhook gate receives: the rollout, the stage it waits to start, every counter. */
final class GatePayload {
  private GatePayload() {}

  static ObjectNode of(Rollout r, List<StageCounters> stages) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("type", "sluice.rollout-gate/v1");
    node.put("rollout", r.id().value());
    node.put("release", r.spec().release().value());
    node.put("product", r.product().value());
    node.put("completed_stage", r.stage() + 1);
    node.put("next_stage", r.stage() + 2);
    node.put("stage_count", r.spec().stages().size());
    ArrayNode list = node.putArray("stages");
    for (int i = 0; i < stages.size(); i++) {
      list.add(counters(i + 1, stages.get(i)));
    }
    return node;
  }

  static ObjectNode counters(int number, StageCounters c) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("stage", number);
    s.put("assigned", c.assigned());
    s.put("open", c.open());
    s.put("succeeded", c.succeeded());
    s.put("failed", c.failed());
    s.put("canceled", c.canceled());
    return s;
  }
}
