package dev.sluice.api.rollout;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** Rollouts as listed, newest first. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RolloutList(List<RolloutSummary> rollouts) {
  public RolloutList {
    rollouts = rollouts == null ? List.of() : List.copyOf(rollouts);
  }
}
