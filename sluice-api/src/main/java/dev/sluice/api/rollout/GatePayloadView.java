package dev.sluice.api.rollout;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What a webhook gate receives before a stage starts: the rollout, the stage that completed, the
 * one waiting to start (numbered from 1) and every stage's counters.
 *
 * @param type always {@link #TYPE}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GatePayloadView(
    String type,
    String rollout,
    String release,
    String product,
    int completedStage,
    int nextStage,
    int stageCount,
    List<StageCountersView> stages) {
  public static final String TYPE = "sluice.rollout-gate/v1";

  public GatePayloadView {
    stages = stages == null ? List.of() : List.copyOf(stages);
  }
}
