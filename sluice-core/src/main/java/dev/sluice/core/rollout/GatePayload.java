package dev.sluice.core.rollout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.api.rollout.GatePayloadView;
import dev.sluice.api.rollout.StageCountersView;
import java.util.ArrayList;
import java.util.List;

/** The JSON a webhook gate receives: the rollout, the stage it waits to start, every counter. */
final class GatePayload {
  private GatePayload() {}

  static ObjectNode of(Rollout r, List<StageCounters> stages) {
    List<StageCountersView> counters = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      counters.add(view(i + 1, stages.get(i)));
    }
    return WireJson.MAPPER.valueToTree(
        new GatePayloadView(
            GatePayloadView.TYPE,
            r.id().value(),
            r.spec().release().value(),
            r.product().value(),
            r.stage() + 1,
            r.stage() + 2,
            r.spec().stages().size(),
            counters));
  }

  static ObjectNode counters(int number, StageCounters c) {
    return WireJson.MAPPER.valueToTree(view(number, c));
  }

  private static StageCountersView view(int number, StageCounters c) {
    return new StageCountersView(
        number, c.assigned(), c.open(), c.succeeded(), c.failed(), c.canceled());
  }
}
