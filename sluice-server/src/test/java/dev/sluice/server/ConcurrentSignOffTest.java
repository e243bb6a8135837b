package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/** Racing sign-offs can neither over- nor under-count the threshold. */
class ConcurrentSignOffTest {
  @TempDir Path dataDir;

  @RepeatedTest(3)
  void racingSignOffsCertifyExactlyOnceAtTheThreshold() throws Exception {
    try (RunningServer running = new RunningServer(dataDir.resolve("r" + System.nanoTime()))) {
      Pipeline p = running.pipeline.certifiers(5);
      assertThat(p.createProduct("acme-phone", 3, 1 << 20).status()).isEqualTo(201);
      Map<String, byte[]> files = Pipeline.artifacts("race");
      String id =
          p.draft("acme-phone", "1.0.0", Pipeline.manifest("acme-phone", "1.0.0", files), files);
      p.check(id);

      List<Integer> statuses = p.raceApprovals(id);

      // The threshold is reached exactly once; later approvals find the release CERTIFIED.
      assertThat(statuses).containsOnly(201, 409);
      assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(3);
      var release = p.release(id);
      assertThat(release.get("state").asText()).isEqualTo("certified");
      assertThat(release.get("signoffs").size()).isEqualTo(3);
      var audit = p.http.get("/api/v1/audit?subject=release/" + id, p.adminToken).json();
      assertThat(Pipeline.names(audit.get("events"), "action"))
          .containsOnlyOnce("release.certified");
    }
  }
}
