package dev.sluice.api.rollout;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why a rollout stopped on its own or was stopped.
 *
 * @param logLikelihoodRatio the sequential test's statistic, when that test halted it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HaltView(
    String kind,
    String message,
    int stage,
    StageCountersView counters,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double logLikelihoodRatio,
    String at,
    String by) {}
