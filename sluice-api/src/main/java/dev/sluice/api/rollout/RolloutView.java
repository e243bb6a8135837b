package dev.sluice.api.rollout;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A rollout with its spec, every stage's counters and why it halted. Members that are not known yet
 * are sent as {@code null}. A client reading a list entry ({@link RolloutSummary}) into this record
 * gets no spec and no stages.
 *
 * @param spec the spec as created (the request's shape, see {@code RolloutRequest})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RolloutView(
    String id,
    String product,
    String release,
    String state,
    int currentStage,
    int stageCount,
    String createdBy,
    String createdAt,
    String updatedAt,
    String startedAt,
    JsonNode spec,
    Double baselineFailureRate,
    List<StageView> stages,
    HaltView halt,
    String gateReply) {
  public RolloutView {
    stages = stages == null ? List.of() : List.copyOf(stages);
  }

  /** A summary with the details only a single rollout shows. */
  public static RolloutView of(
      RolloutSummary s,
      JsonNode spec,
      Double baselineFailureRate,
      List<StageView> stages,
      HaltView halt,
      String gateReply) {
    return new RolloutView(
        s.id(),
        s.product(),
        s.release(),
        s.state(),
        s.currentStage(),
        s.stageCount(),
        s.createdBy(),
        s.createdAt(),
        s.updatedAt(),
        s.startedAt(),
        spec,
        baselineFailureRate,
        stages,
        halt,
        gateReply);
  }

  public Optional<HaltView> haltIfAny() {
    return Optional.ofNullable(halt);
  }
}
