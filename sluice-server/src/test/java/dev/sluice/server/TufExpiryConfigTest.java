package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.Tuf;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Timestamp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TufExpiryConfigTest {
  @TempDir Path dataDir;

  @Test
  void configuredExpiryPeriodsApplyToSignedMetadata() {
    RepositoryBuilder.Expiry expiry =
        new RepositoryBuilder.Expiry(
            Duration.ofDays(365), Duration.ofDays(30), Duration.ofDays(2), Duration.ofHours(2));
    ServerConfig config = ServerConfig.builder(dataDir).port(0).tufExpiry(expiry).build();
    try (SluiceServer server = SluiceServer.start(config)) {
      Http http = new Http(server.baseUri());
      Pipeline p = new Pipeline(http, server.bootstrapAdminToken().orElseThrow()).certifiers(1);
      Tuf.init(p, Tuf.rootKeys(3));
      Instant before = Instant.now();
      Timestamp timestamp =
          Metadata.parse(http.get("/tuf/timestamp.json", null).body(), Timestamp.class).signed();
      assertThat(timestamp.expires())
          .isBetween(before.plus(Duration.ofMinutes(110)), before.plus(Duration.ofMinutes(121)));
    }
  }
}
