package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.ddi.DdiConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigBuilderTest {
  @Test
  void aBuilderStartsAtTheDocumentedDefaults() {
    ServerConfig config = ServerConfig.builder(Path.of("data")).build();
    assertThat(config.host()).isEqualTo(ServerConfig.DEFAULT_HOST);
    assertThat(config.port()).isEqualTo(ServerConfig.DEFAULT_PORT);
    assertThat(config.databaseUrl()).isEmpty();
    assertThat(config.effectiveDatabaseUrl()).endsWith("sluice.db");
    assertThat(config.logOrigin()).isEqualTo(ServerConfig.DEFAULT_LOG_ORIGIN);
    assertThat(config.keyPassphraseFile()).isEmpty();
    assertThat(config.keyPassphrase().value()).isEmpty();
    assertThat(config.ddi()).isEqualTo(DdiConfig.defaults());
    assertThat(config.http()).isEqualTo(HttpLimits.defaults());
    assertThat(config.webhookHosts()).isEmpty();
  }

  @Test
  void theKeyPassphraseIsTakenFromTheEnvironmentGivenToTheBuilderAndNeverPrinted() {
    ServerConfig config =
        ServerConfig.builder(Path.of("data"))
            .environment(Map.of(KeyPassphrase.ENV, "correct horse battery staple"))
            .build();
    assertThat(config.keyPassphrase().value()).contains("correct horse battery staple");
    assertThat(config.toString()).doesNotContain("correct horse").contains(KeyPassphrase.ENV);
    assertThat(
            ServerConfig.builder(Path.of("data"))
                .environment(Map.of(KeyPassphrase.ENV, ""))
                .build()
                .keyPassphrase()
                .value())
        .as("an empty variable is no passphrase")
        .isEmpty();
  }

  @Test
  void toBuilderKeepsEverySetting() {
    ServerConfig config =
        ServerConfig.builder(Path.of("data"))
            .host("::1")
            .port(0)
            .databaseUrl("jdbc:postgresql://db/sluice")
            .databasePoolSize(java.util.OptionalInt.of(32))
            .logOrigin("example.com/log")
            .keyPassphraseFile(Path.of("pass"))
            .rolloutInterval(Duration.ofSeconds(2))
            .webhookHosts(java.util.Set.of("ci.example.com"))
            .ddi(DdiConfig.builder().tenant("acme").anonymous(true).build())
            .build();
    assertThat(config.toBuilder().build()).isEqualTo(config);
    assertThat(config.toBuilder().port(9000).build().databaseUrl())
        .isEqualTo(Optional.of("jdbc:postgresql://db/sluice"));
  }

  @Test
  void theWholeConfigurationIsValidatedWhenBuilt() {
    assertThatThrownBy(() -> ServerConfig.builder(Path.of("data")).port(70000).build())
        .hasMessageContaining("port");
    for (int size : new int[] {0, -1, 201}) {
      assertThatThrownBy(
              () ->
                  ServerConfig.builder(Path.of("data"))
                      .databasePoolSize(java.util.OptionalInt.of(size))
                      .build())
          .hasMessageContaining("1 to 200 connections");
    }
    assertThatThrownBy(
            () -> ServerConfig.builder(Path.of("data")).databaseUrl("mysql://db").build())
        .hasMessageContaining("jdbc:postgresql:");
    assertThatThrownBy(() -> DdiConfig.builder().rateLimit(0, 10).build())
        .hasMessageContaining("positive rate");
    assertThatThrownBy(
            () ->
                DdiConfig.builder().polling(Duration.ofSeconds(10), Duration.ofSeconds(10)).build())
        .hasMessageContaining("jitter");
  }

  @Test
  void ddiSettingsRoundTripThroughTheirBuilder() {
    DdiConfig custom =
        DdiConfig.builder()
            .tenant("fleet")
            .polling(Duration.ofMinutes(1), Duration.ofSeconds(5))
            .trustForwardedHeaders(true)
            .pollCacheTtl(Duration.ofHours(1))
            .rateLimit(2.5, 10)
            .lastSeenFlush(Duration.ofSeconds(1))
            .build();
    assertThat(custom.toBuilder().build()).isEqualTo(custom);
    assertThat(custom.toBuilder().anonymous(true).build().tenant()).isEqualTo("fleet");
  }
}
