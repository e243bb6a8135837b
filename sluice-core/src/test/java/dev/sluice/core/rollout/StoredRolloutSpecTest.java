package dev.sluice.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.action.ActionType;
import dev.sluice.core.action.ConfirmationPolicy;
import dev.sluice.core.action.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Rollout specifications stored before they were written through the wire record still read as the
 * same specification: {@link #storedBefore} writes exactly what the hand-written writer of that
 * time wrote ({@code "sequential_test": null}, {@code consent} only when true, ...).
 */
class StoredRolloutSpecTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Test
  void aPercentageRolloutWithEverySettingStoredBeforeReadsTheSame() {
    RolloutSpec spec =
        RolloutSpec.builder(
                Rollouts.RELEASE, Rollouts.percentages(90, 3, Gate.MANUAL, 1, 10, 50, 100))
            .filter("tag==beta")
            .type(ActionType.TIMEFORCED)
            .forcedAt(Optional.of(Instant.parse("2026-03-02T00:00:00Z")))
            .startAt(Optional.of(Instant.parse("2026-03-01T12:00:00Z")))
            .window(
                Optional.of(
                    new MaintenanceWindow(
                        "0 2 * * *", Duration.ofHours(2), ZoneId.of("Europe/Berlin"))))
            .confirmation(ConfirmationPolicy.DDI_SUCCESS)
            .inProgressTimeout(Duration.ofHours(2))
            .retry(new RetryPolicy(3, Set.of(FailureKind.TIMEOUT)))
            .dynamic(true)
            .sequentialTest(Optional.of(new SequentialTestSpec(0.05, 0.2, Optional.of(0.01))))
            .consent(true)
            .build();

    assertThat(RolloutSpecJson.fromJson(storedBefore(spec))).isEqualTo(spec);
  }

  @Test
  void aGroupRolloutWithDefaultsStoredBeforeReadsTheSame() {
    List<StageSpec> stages =
        List.of(
            new StageSpec(new StageSelection.Group("tag==lab"), 95, 5, Gate.NONE),
            new StageSpec(
                new StageSelection.Group("hw==2"),
                95,
                5,
                Gate.parse("webhook=https://ci.example.com/gate")));
    RolloutSpec spec = RolloutSpec.builder(Rollouts.RELEASE, stages).build();

    ObjectNode stored = storedBefore(spec);
    assertThat(stored.get("sequential_test").isNull()).isTrue();
    assertThat(RolloutSpecJson.fromJson(stored)).isEqualTo(spec);
  }

  @Test
  void theFullFormWrittenNowReadsTheSame() {
    RolloutSpec spec =
        RolloutSpec.builder(Rollouts.RELEASE, Rollouts.percentages(95, 5, Gate.NONE, 50, 100))
            .sequentialTest(Optional.of(SequentialTestSpec.DEFAULT))
            .build();

    assertThat(RolloutSpecJson.fromJson(RolloutSpecJson.toJson(spec))).isEqualTo(spec);
  }

  /** What the writer before the wire record stored, field by field. */
  private static ObjectNode storedBefore(RolloutSpec spec) {
    ObjectNode node = JSON.objectNode();
    node.put("release", spec.release().value());
    node.put("filter", spec.filter());
    ArrayNode stages = node.putArray("stages");
    for (StageSpec stage : spec.stages()) {
      ObjectNode s = stages.addObject();
      switch (stage.selection()) {
        case StageSelection.Percent p -> s.put("percent", p.cumulativePercent());
        case StageSelection.Group g -> s.put("group", g.filter());
      }
      s.put("success_threshold", stage.successThreshold());
      s.put("error_threshold", stage.errorThreshold());
      s.put("gate", stage.gate().wire());
    }
    node.put("type", spec.type().wireName());
    spec.forcedAt().ifPresent(t -> node.put("forced_at", t.toString()));
    spec.startAt().ifPresent(t -> node.put("start_at", t.toString()));
    spec.window()
        .ifPresent(
            w -> {
              ObjectNode window = node.putObject("window");
              window.put("schedule", w.schedule());
              window.put("duration", w.duration().toString());
              window.put("zone", w.zone().getId());
            });
    node.put("confirmation", RolloutSpecJson.confirmation(spec.confirmation()));
    node.put("in_progress_timeout", spec.inProgressTimeout().toString());
    ObjectNode retry = node.putObject("retry");
    retry.put("max_attempts", spec.retry().maxAttempts());
    ArrayNode on = retry.putArray("on");
    EnumSet.allOf(FailureKind.class).stream()
        .filter(spec.retry().retryOn()::contains)
        .forEach(k -> on.add(k.wireName()));
    node.put("dynamic", spec.dynamic());
    spec.sequentialTest()
        .ifPresentOrElse(
            t -> {
              ObjectNode test = node.putObject("sequential_test");
              test.put("alpha", t.alpha());
              test.put("beta", t.beta());
              t.baseline().ifPresent(b -> test.put("baseline", b));
            },
            () -> node.putNull("sequential_test"));
    if (spec.consent()) {
      node.put("consent", true);
    }
    return node;
  }
}
