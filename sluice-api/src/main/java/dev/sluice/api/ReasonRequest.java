package dev.sluice.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A body that only gives a reason (cancelling a rollout or an action, revoking a release). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReasonRequest(String reason) {}
