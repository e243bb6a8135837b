package dev.sluice.api.rollout;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A rollout as listed. Stages are numbered from 1.
 *
 * @param startedAt when it was started; {@code null} (sent as {@code null}) before
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RolloutSummary(
    String id,
    String product,
    String release,
    String state,
    int currentStage,
    int stageCount,
    String createdBy,
    String createdAt,
    String updatedAt,
    String startedAt) {}
