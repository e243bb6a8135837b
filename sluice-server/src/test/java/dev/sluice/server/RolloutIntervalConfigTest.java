package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.ddi.DdiConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RolloutIntervalConfigTest {
  private final ServerConfig defaults = ServerConfig.defaults(Path.of("data"));

  @Test
  void rolloutsAreEvaluatedEveryFiveSecondsUnlessConfigured() {
    assertThat(defaults.rolloutInterval()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void anotherIntervalKeepsTheRestOfTheConfiguration() {
    DdiConfig fastPolls = DdiConfig.defaults().withPolling(Duration.ofSeconds(1), Duration.ZERO);
    ServerConfig config = defaults.withDdi(fastPolls).withRolloutInterval(Duration.ofSeconds(1));
    assertThat(config.rolloutInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.ddi()).isEqualTo(fastPolls);
    assertThat(config.withDdi(DdiConfig.defaults()).rolloutInterval())
        .as("changing the device API settings keeps the interval")
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void anIntervalBelowATenthOfASecondIsRefused() {
    assertThatThrownBy(() -> defaults.withRolloutInterval(Duration.ofMillis(50)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the rollout evaluator runs at most every 100 ms");
  }
}
