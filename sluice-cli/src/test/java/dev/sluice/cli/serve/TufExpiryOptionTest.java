package dev.sluice.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cli.Cli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TufExpiryOptionTest {
  @Test
  void givenRolesOverrideTheDefaults() {
    var expiry = TufExpiryOption.parse(Map.of("timestamp", "6h", "SNAPSHOT", "3d"));
    assertThat(expiry.timestamp()).isEqualTo(Duration.ofHours(6));
    assertThat(expiry.snapshot()).isEqualTo(Duration.ofDays(3));
    assertThat(expiry.root()).isEqualTo(Duration.ofDays(365));
  }

  @Test
  void unknownRolesAndMalformedDurationsAreRefused() {
    assertThatThrownBy(() -> TufExpiryOption.parse(Map.of("mirror", "1d")))
        .hasMessageContaining("root, targets, snapshot or timestamp");
    for (String bad : new String[] {"0d", "1w", "-1h", "1.5h", "", "h"}) {
      assertThatThrownBy(() -> TufExpiryOption.duration(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void serveRefusesATimestampLifetimeTooShortToKeepFresh(@TempDir Path data) {
    Cli.Result result =
        Cli.run("serve", "--data", data.toString(), "--port", "0", "--tuf-expiry", "timestamp=5m");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("at least 10 minutes");
  }
}
