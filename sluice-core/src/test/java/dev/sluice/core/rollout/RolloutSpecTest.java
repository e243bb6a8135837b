package dev.sluice.core.rollout;

import static dev.sluice.core.rollout.Rollouts.percentages;
import static dev.sluice.core.rollout.Rollouts.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.action.ActionType;
import dev.sluice.core.action.ConfirmationPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutSpecTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void percentagesAreStrictlyIncreasingAndEndAt100() {
    assertThat(spec(percentages(95, 5, Gate.NONE, 1, 10, 50, 100)).stages()).hasSize(4);
    assertThatThrownBy(() -> spec(percentages(95, 5, Gate.NONE, 10, 10, 100)))
        .hasMessageContaining("strictly increasing");
    assertThatThrownBy(() -> spec(percentages(95, 5, Gate.NONE, 1, 50)))
        .hasMessageContaining("last stage percentage is 100");
    assertThatThrownBy(() -> spec(percentages(95, 5, Gate.NONE, 0, 100)))
        .hasMessageContaining("1 to 100");
  }

  @Test
  void stagesAreAllPercentagesOrAllGroups() {
    List<StageSpec> mixed =
        List.of(
            new StageSpec(new StageSelection.Group("tag==lab"), 95, 5, Gate.NONE),
            new StageSpec(new StageSelection.Percent(100), 95, 5, Gate.NONE));
    assertThatThrownBy(() -> spec(mixed)).hasMessageContaining("not a mix");
  }

  @Test
  void theFirstStageHasNoGate() {
    List<StageSpec> gatedFirst =
        List.of(new StageSpec(new StageSelection.Percent(100), 95, 5, Gate.MANUAL));
    assertThatThrownBy(() -> spec(gatedFirst)).hasMessageContaining("first stage has no gate");
  }

  @Test
  void cumulativeStageSizesRoundUp() {
    RolloutSpec s = spec(percentages(95, 5, Gate.NONE, 1, 10, 50, 100));
    assertThat(List.of(0, 1, 2, 3).stream().map(i -> s.cumulativeSize(i, 1234)).toList())
        .containsExactly(13L, 124L, 617L, 1234L);
    assertThat(s.cumulativeSize(0, 5)).isEqualTo(1);
    assertThat(s.cumulativeSize(0, 0)).isZero();
  }

  @Test
  void theShorthandRequestReadsAndTheFullFormRoundTrips() throws Exception {
    JsonNode request =
        JSON.readTree(
            """
            {"release": "%s", "filter": "tag==beta", "stages": [1, 10, 100],
             "success_threshold": 90, "error_threshold": 3, "gate": "manual", "type": "timeforced",
             "forced_at": "2026-03-02T00:00:00Z", "start_at": "2026-03-01T12:00:00Z",
             "window": {"schedule": "0 2 * * *", "duration": "2h", "zone": "Europe/Berlin"},
             "confirmation": "ddi-success", "in_progress_timeout": "2h",
             "retry": {"max_attempts": 3, "on": ["timeout"]}, "dynamic": true,
             "sequential_test": true}
            """
                .formatted(Rollouts.RELEASE));
    RolloutSpec spec = RolloutSpecJson.fromJson(request);
    assertThat(spec.stages()).hasSize(3);
    assertThat(spec.stages().get(0).gate()).isEqualTo(Gate.NONE);
    assertThat(spec.stages().get(1).gate()).isEqualTo(Gate.MANUAL);
    assertThat(spec.stages().get(2).successThreshold()).isEqualTo(90);
    assertThat(spec.type()).isEqualTo(ActionType.TIMEFORCED);
    assertThat(spec.window().orElseThrow().duration()).isEqualTo(Duration.ofHours(2));
    assertThat(spec.confirmation()).isEqualTo(ConfirmationPolicy.DDI_SUCCESS);
    assertThat(spec.retry().retries(FailureKind.TIMEOUT, 2)).isTrue();
    assertThat(spec.retry().retries(FailureKind.REPORTED, 1)).isFalse();
    assertThat(spec.retry().retries(FailureKind.TIMEOUT, 3)).isFalse();
    assertThat(spec.sequentialTest()).contains(SequentialTestSpec.DEFAULT);
    assertThat(RolloutSpecJson.fromJson(RolloutSpecJson.toJson(spec))).isEqualTo(spec);
  }

  @Test
  void groupsAndWebhookGatesRoundTrip() throws Exception {
    JsonNode request =
        JSON.readTree(
            """
            {"release": "%s", "groups": ["tag==lab", "tag==beta", "hw==2"],
             "gate": "webhook=https://ci.example.com/gate"}
            """
                .formatted(Rollouts.RELEASE));
    RolloutSpec spec = RolloutSpecJson.fromJson(request);
    assertThat(spec.grouped()).isTrue();
    assertThat(spec.stages().get(2).gate()).isInstanceOf(Gate.Webhook.class);
    assertThat(RolloutSpecJson.fromJson(RolloutSpecJson.toJson(spec))).isEqualTo(spec);
  }

  @Test
  void badRequestsNameTheField() throws Exception {
    String release = Rollouts.RELEASE.value();
    assertThatThrownBy(() -> read("{\"release\": \"%s\"}".formatted(release)))
        .hasMessageStartingWith("stages");
    assertThatThrownBy(() -> read("{\"release\": \"%s\", \"stages\": [50, 10]}".formatted(release)))
        .hasMessageContaining("strictly increasing");
    assertThatThrownBy(
            () -> read("{\"release\": \"%s\", \"stages\": [100], \"typo\": 1}".formatted(release)))
        .hasMessageContaining("typo is an unknown field");
    assertThatThrownBy(
            () ->
                read(
                    "{\"release\": \"%s\", \"stages\": [100], \"type\": \"timeforced\"}"
                        .formatted(release)))
        .hasMessageContaining("forced-at");
    assertThatThrownBy(
            () ->
                read(
                    "{\"release\": \"%s\", \"stages\": [100], \"gate\": \"webhook=ftp://x\"}"
                        .formatted(release)))
        .hasMessageContaining("http(s)");
    assertThatThrownBy(() -> read("{\"release\": \"nope\", \"stages\": [100]}"))
        .hasMessageStartingWith("release");
    assertThatThrownBy(
            () ->
                read(
                    "{\"release\": \"%s\", \"stages\": [100], \"in_progress_timeout\": \"soon\"}"
                        .formatted(release)))
        .hasMessageStartingWith("in_progress_timeout");
  }

  private static RolloutSpec read(String json) throws Exception {
    return RolloutSpecJson.fromJson(JSON.readTree(json));
  }
}
