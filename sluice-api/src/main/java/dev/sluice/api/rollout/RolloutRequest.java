package dev.sluice.api.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.api.Required;
import dev.sluice.api.WireShorthand;
import java.util.List;

/**
 * {@code POST /api/v1/rollouts}, and the form a rollout's specification is stored and shown in.
 * Requests may use the shorthand: {@code "stages": [1, 10, 50, 100]} (percentages) or {@code
 * "groups": ["filter", ...]}, with {@code success_threshold}, {@code error_threshold} and {@code
 * gate} for every stage; {@code "sequential_test": true}. The full form names each stage as an
 * object. Durations are ISO 8601 ({@code PT2H}) or a number with a unit ({@code 30m}, {@code 2h},
 * {@code 7d}); instants are RFC 3339. See docs/rollouts.md.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutRequest(
    @Required String release,
    String filter,
    List<Stage> stages,
    List<String> groups,
    Integer successThreshold,
    Integer errorThreshold,
    String gate,
    String type,
    String forcedAt,
    String startAt,
    Window window,
    String confirmation,
    String inProgressTimeout,
    Retry retry,
    Boolean dynamic,
    SequentialTest sequentialTest,
    Boolean consent) {

  /**
   * A stage: a cumulative {@code percent} of the matching devices or a device filter ({@code
   * group}), with its own thresholds and the gate before it (none before the first).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Stage(
      Integer percent,
      String group,
      Integer successThreshold,
      Integer errorThreshold,
      String gate) {
    /** The shorthand: a stage given as its cumulative percentage. */
    @WireShorthand
    public static Stage percent(Integer percent) {
      return new Stage(percent, null, null, null, null);
    }
  }

  /** When devices may install: a cron schedule, a duration and a zone (UTC). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Window(@Required String schedule, @Required String duration, String zone) {}

  /** How often a failed device is tried, and on which failures ({@code timeout}, ...). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Retry(Integer maxAttempts, List<String> on) {}

  /**
   * The sequential test that halts a stage whose failure rate is significantly above the baseline;
   * an absent number takes its default.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SequentialTest(Double alpha, Double beta, Double baseline) {
    /** The shorthand: {@code true} for the defaults, {@code false} for no test ({@code null}). */
    @WireShorthand
    public static SequentialTest of(Boolean enabled) {
      return enabled ? new SequentialTest(null, null, null) : null;
    }
  }
}
