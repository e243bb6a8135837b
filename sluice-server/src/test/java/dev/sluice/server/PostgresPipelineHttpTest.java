package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same server behaviour on PostgreSQL as on the embedded SQLite file: the whole pipeline and
 * racing sign-offs through HTTP (skipped unless SLUICE_TEST_PG_URL is set; required in CI).
 */
class PostgresPipelineHttpTest {
  @TempDir Path dataDir;

  @Test
  void pipelineAndRacingSignOffsBehaveTheSameOnPostgres() throws Exception {
    try (TestDatabase db = TestDatabases.freshPostgres();
        RunningServer running = new RunningServer(dataDir, Optional.of(db.jdbcUrl()))) {
      Pipeline p = running.pipeline.certifiers(4);
      assertThat(p.createProduct("acme-phone", 2, 1 << 20).status()).isEqualTo(201);

      Map<String, byte[]> files = Pipeline.artifacts("pg");
      String blocked =
          p.draft(
              "acme-phone",
              "1.0.0",
              Pipeline.breakingManifest("acme-phone", "1.0.0", files),
              files);
      assertThat(p.check(blocked).json().get("state").asText()).isEqualTo("blocked");
      assertThat(p.createRelease("acme-phone", "1.0.0", new byte[] {'{', '}'}).status())
          .isIn(400, 409);

      String id =
          p.draft("acme-phone", "1.0.1", Pipeline.manifest("acme-phone", "1.0.1", files), files);
      assertThat(p.check(id).json().get("state").asText()).isEqualTo("checked");
      List<Integer> statuses = p.raceApprovals(id);
      assertThat(statuses).containsOnly(201, 409);
      assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(2);
      assertThat(p.release(id).get("state").asText()).isEqualTo("certified");
      assertThat(p.release(id).get("signoffs").size()).isEqualTo(2);
      var audit = p.http.get("/api/v1/audit?subject=release/" + id, p.adminToken);
      assertThat(Pipeline.names(audit.json().get("events"), "action"))
          .containsOnlyOnce("release.certified");
    }
  }
}
