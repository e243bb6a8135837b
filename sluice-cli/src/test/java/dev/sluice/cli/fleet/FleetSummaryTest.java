package dev.sluice.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FleetSummaryTest {
  private static final FleetSummary.Totals TOTALS =
      new FleetSummary.Totals(
          20_000,
          20_450,
          0.8,
          1.5,
          4.25,
          9.5,
          31.0,
          2.5,
          150,
          120,
          20,
          3,
          2,
          1_048_576,
          Optional.of("sim-000007: GET /DEFAULT/controller/v1/sim-000007 answered 503"));

  @Test
  void theTextNamesRatesLatenciesActionsAndTheFirstError() {
    FleetSummary summary =
        new FleetSummary(
            1000,
            Duration.ofSeconds(10),
            FleetSummary.Stop.DURATION,
            333.3,
            TOTALS,
            Duration.ofMillis(2500));
    assertThat(summary.pollsPerSecond()).isEqualTo(2000);
    assertThat(summary.text().lines())
        .containsExactly(
            "fleet: 1,000 devices for 10.0 s (duration)",
            "polls: 20,000 (2,000/s; target 333/s), latency p50 0.80 ms, p90 1.50 ms, p99 4.25 ms,"
                + " p99.9 9.50 ms, max 31.00 ms; devices woke late by 2.50 ms (p99)",
            "actions: 120 succeeded, 20 failed, 3 canceled, 7 in progress",
            "requests: 20,450 in all, 2 errors, 1,048,576 bytes downloaded; simulator CPU 2.5 s",
            "first error: sim-000007: GET /DEFAULT/controller/v1/sim-000007 answered 503");
  }

  @Test
  void theJsonCarriesTheSameFigures() {
    ObjectNode json =
        new FleetSummary(
                1000, Duration.ofSeconds(10), FleetSummary.Stop.DONE, 0, TOTALS, Duration.ZERO)
            .json();
    assertThat(json.get("stopped_by").asText()).isEqualTo("done");
    assertThat(json.get("polls_per_second").asDouble()).isEqualTo(2000.0);
    assertThat(json.get("poll_latency_ms").get("p99").asDouble()).isEqualTo(4.25);
    assertThat(json.get("wake_late_ms").get("p99").asDouble()).isEqualTo(2.5);
    assertThat(json.get("actions").get("in_progress").asLong()).isEqualTo(7);
    assertThat(json.get("errors").asLong()).isEqualTo(2);
    assertThat(json.get("first_error").asText()).endsWith("answered 503");
  }
}
