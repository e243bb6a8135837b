package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** A rollout as the server describes it ({@code GET /api/v1/rollouts/{id}}). */
public record Rollout(JsonNode json) {
  public Rollout {
    Objects.requireNonNull(json, "json");
  }

  public String id() {
    return json.path("id").asText();
  }

  public String state() {
    return json.path("state").asText();
  }

  public String product() {
    return json.path("product").asText();
  }

  public String release() {
    return json.path("release").asText();
  }

  /** 1-based; 0 before the first stage. */
  public int currentStage() {
    return json.path("current_stage").asInt();
  }

  public int stageCount() {
    return json.path("stage_count").asInt();
  }
}
