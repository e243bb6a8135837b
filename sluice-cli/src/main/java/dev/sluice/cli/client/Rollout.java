package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.rollout.RolloutView;

/**
 * A rollout as the server describes it ({@code GET /api/v1/rollouts/{id}}); list entries are
 * summaries without spec and stages.
 */
public record Rollout(JsonNode json, RolloutView view) {
  public Rollout {
    Answers.required(view.id(), "id", "a rollout");
  }

  public Rollout(JsonNode json) {
    this(json, Answers.bind(json, RolloutView.class, "a rollout"));
  }

  public String id() {
    return view.id();
  }

  public String state() {
    return Answers.orEmpty(view.state());
  }

  public String product() {
    return Answers.orEmpty(view.product());
  }

  public String release() {
    return Answers.orEmpty(view.release());
  }

  /** 1-based; 0 before the first stage. */
  public int currentStage() {
    return view.currentStage();
  }

  public int stageCount() {
    return view.stageCount();
  }
}
