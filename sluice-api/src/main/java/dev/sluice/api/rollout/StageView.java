package dev.sluice.api.rollout;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One stage of a rollout: its counters, whom it selects (a cumulative {@code percent} or a device
 * {@code group} filter, never both) and what lets it advance.
 *
 * @param gate the gate's wire form: {@code auto}, {@code manual} or {@code http:<url>}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StageView(
    int stage,
    long assigned,
    long open,
    long succeeded,
    long failed,
    long canceled,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer percent,
    @JsonInclude(JsonInclude.Include.NON_NULL) String group,
    int successThreshold,
    int errorThreshold,
    String gate) {

  /** A stage selecting by {@code percent} or {@code group} (exactly one is non-null). */
  public static StageView of(
      StageCountersView c,
      Integer percent,
      String group,
      int successThreshold,
      int errorThreshold,
      String gate) {
    return new StageView(
        c.stage(),
        c.assigned(),
        c.open(),
        c.succeeded(),
        c.failed(),
        c.canceled(),
        percent,
        group,
        successThreshold,
        errorThreshold,
        gate);
  }
}
