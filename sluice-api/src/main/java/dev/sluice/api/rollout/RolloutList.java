package dev.sluice.api.rollout;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * One page of rollouts, newest first.
 *
 * @param next the cursor of the following page ({@code ?after=}); absent on the last page
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RolloutList(
    List<RolloutSummary> rollouts, @JsonInclude(JsonInclude.Include.NON_NULL) String next) {
  public RolloutList {
    rollouts = rollouts == null ? List.of() : List.copyOf(rollouts);
  }

  public RolloutList(List<RolloutSummary> rollouts) {
    this(rollouts, null);
  }

  public Optional<String> nextIfAny() {
    return Optional.ofNullable(next);
  }
}
