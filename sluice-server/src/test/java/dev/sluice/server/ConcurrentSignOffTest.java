package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
      byte[] statement = p.statement(id).body();

      CountDownLatch go = new CountDownLatch(1);
      List<Future<Http.Response>> results = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(5)) {
        for (String certifier : p.certifierKeys.keySet()) {
          byte[] signature = p.certifierKeys.get(certifier).sign(statement);
          results.add(
              pool.submit(
                  () -> {
                    go.await();
                    return p.submit(
                        id,
                        certifier,
                        "approve",
                        signature,
                        dev.sluice.trust.hash.Sha256.of(statement),
                        null);
                  }));
        }
        go.countDown();
        int accepted = 0;
        int refused = 0;
        for (Future<Http.Response> result : results) {
          int status = result.get().status();
          if (status == 201) {
            accepted++;
          } else {
            assertThat(status).as(result.get().text()).isEqualTo(409);
            refused++;
          }
        }
        assertThat(accepted).isEqualTo(3);
        assertThat(refused).isEqualTo(2);
      }
      var release = p.release(id);
      assertThat(release.get("state").asText()).isEqualTo("certified");
      assertThat(release.get("signoffs").size()).isEqualTo(3);
      var audit = p.http.get("/api/v1/audit?subject=release/" + id, p.adminToken).json();
      long certifiedEvents =
          Pipeline.names(audit.get("events"), "action").stream()
              .filter("release.certified"::equals)
              .count();
      assertThat(certifiedEvents).isEqualTo(1);
    }
  }
}
