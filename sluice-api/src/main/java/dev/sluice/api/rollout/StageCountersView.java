package dev.sluice.api.rollout;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The devices of one stage (numbered from 1) by the state of their action. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StageCountersView(
    int stage, long assigned, long open, long succeeded, long failed, long canceled) {}
