package dev.sluice.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DdiOptionsTest {
  @Test
  void durationsTakeUnitsOrTheDdiClockForm() {
    assertThat(DdiOptions.duration("--poll-interval", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DdiOptions.duration("--poll-interval", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DdiOptions.duration("--poll-interval", "00:00:01")).isEqualTo(Duration.ofSeconds(1));
    assertThat(DdiOptions.duration("--poll-cache-ttl", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> DdiOptions.duration("--poll-jitter", "soon"))
        .hasMessageContaining("--poll-jitter")
        .hasMessageContaining("'soon'");
  }

  @Test
  void theDefaultsMakeAValidConfiguration() {
    DdiOptions options = new DdiOptions();
    options.tenant = "DEFAULT";
    options.pollInterval = "00:00:01";
    options.pollJitter = "0s";
    options.pollCacheTtl = "2s";
    options.pollCacheEntries = 1_100_000;
    options.rate = 5;
    options.burst = 60;
    options.anonymous = true;
    var config = options.config();
    assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.anonymous()).isTrue();
    assertThat(config.pollCacheEntries()).isEqualTo(1_100_000);
    assertThat(dev.sluice.server.ddi.DdiConfig.hhmmss(config.sleepFor("dev-1")))
        .isEqualTo("00:00:01");
  }

  @Test
  void aPollCacheWithoutRoomIsRefused() {
    DdiOptions options = new DdiOptions();
    options.tenant = "DEFAULT";
    options.pollInterval = "5m";
    options.pollJitter = "30s";
    options.pollCacheTtl = "0s";
    options.pollCacheEntries = 0;
    options.rate = 5;
    options.burst = 60;
    assertThatThrownBy(options::config)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("poll cache");
  }
}
