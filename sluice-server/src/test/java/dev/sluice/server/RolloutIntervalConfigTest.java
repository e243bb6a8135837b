package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.ddi.DdiConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RolloutIntervalConfigTest {
  private final ServerConfig defaults = ServerConfig.builder(Path.of("data")).build();

  @Test
  void rolloutsAreEvaluatedEveryFiveSecondsUnlessConfigured() {
    assertThat(defaults.rolloutInterval()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void anotherIntervalKeepsTheRestOfTheConfiguration() {
    DdiConfig fastPolls = DdiConfig.builder().polling(Duration.ofSeconds(1), Duration.ZERO).build();
    ServerConfig config =
        defaults.toBuilder().ddi(fastPolls).rolloutInterval(Duration.ofSeconds(1)).build();
    assertThat(config.rolloutInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.ddi()).isEqualTo(fastPolls);
    assertThat(config.toBuilder().ddi(DdiConfig.defaults()).build().rolloutInterval())
        .as("changing the device API settings keeps the interval")
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void anIntervalBelowATenthOfASecondIsRefused() {
    assertThatThrownBy(() -> defaults.toBuilder().rolloutInterval(Duration.ofMillis(50)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the rollout evaluator runs at most every 100 ms");
  }
}
