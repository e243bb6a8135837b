package dev.sluice.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.Tuf;
import dev.sluice.store.blob.S3TestServer;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.tuf.InMemoryTrustedStore;
import dev.sluice.trust.tuf.TargetInfo;
import dev.sluice.trust.tuf.TufUpdater;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code sluice serve} processes on one PostgreSQL database and one S3 bucket (S3Proxy):
 * releases are published through instance A, which is killed with SIGKILL as soon as the first
 * release records reach the log (while it is updating TUF) and is not restarted; instance B alone
 * finishes every publication whose record reached the log (issue 15, "any instance finishes what
 * another started"), and serves every artifact.
 */
class PublicationTakeoverIT {
  private static final String PRODUCT = "acme-phone";
  private static final int RELEASES = 8;

  @TempDir Path temp;
  private final List<ServeProcess> servers = new ArrayList<>();
  private final ExecutorService publishers = Executors.newFixedThreadPool(RELEASES);

  @AfterEach
  void stop() {
    publishers.shutdownNow();
    servers.forEach(ServeProcess::close);
  }

  @Test
  void aSurvivingInstanceFinishesThePublicationsOfAKilledOne() throws Exception {
    assertThat(ServeProcess.JAR)
        .as("run through 'mvnw verify': the shaded jar must exist")
        .exists();
    long seed = Long.getLong("sluice.crash.seed", System.nanoTime());
    System.out.println("PublicationTakeoverIT seed " + seed);
    Random random = new Random(seed);
    try (TestDatabase db = TestDatabases.freshPostgres();
        S3TestServer s3 = S3TestServer.start()) {
      Path data = temp.resolve("data");
      Path passphrase = temp.resolve("passphrase");
      Files.writeString(passphrase, "takeover test passphrase\n", StandardCharsets.UTF_8);
      Path credentials = s3.writeCredentialsFile(temp.resolve("s3.credentials"));
      List<String> shared =
          List.of(
              "--data", data.toString(),
              "--db", db.jdbcUrl(),
              "--key-passphrase-file", passphrase.toString(),
              "--blob-store", s3.url("takeover/"),
              "--blob-store-credentials-file", credentials.toString());
      ServeProcess a = start("a", shared);
      String adminToken = Files.readString(data.resolve("admin.token")).strip();
      Http viaA = a.http();
      ServeProcess b = start("b", shared);
      Http viaB = b.http();
      LogAuditor log = new LogAuditor(viaB);

      Pipeline p = new Pipeline(viaA, adminToken).certifiers(2);
      assertThat(p.createProduct(PRODUCT, 2, 1 << 20).status()).isEqualTo(201);
      byte[] root1 = Tuf.init(p, Tuf.rootKeys(3));
      Map<String, String> ids = new LinkedHashMap<>();
      for (int i = 0; i < RELEASES; i++) {
        String version = "1.0." + i;
        ids.put(version, Tuf.certified(p, PRODUCT, version, artifacts(version)));
      }

      long before = log.checkpoint().size();
      List<Future<Http.Response>> publishing = new ArrayList<>();
      for (String id : ids.values()) {
        publishing.add(publishers.submit(() -> Tuf.publish(p, id)));
      }
      // SIGKILL as soon as the first records are in the log: A is then between logging and TUF.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> log.checkpoint().size() > before);
      Thread.sleep(random.nextInt(20));
      a.kill();
      for (Future<Http.Response> f : publishing) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          // cut off by the kill
        }
      }

      // B alone: whatever reached the log becomes PUBLISHED with its TUF targets, without a
      // restart.
      Pipeline q = new Pipeline(viaB, adminToken);
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> assertNothingHalfPublished(viaB, log, adminToken));
      int logged = log.releaseIds().size();
      System.out.println(
          "PublicationTakeoverIT: "
              + logged
              + " of "
              + RELEASES
              + " reached the log before the kill");
      assertThat(logged).as("publications logged before the kill").isPositive();

      // The rest is published through B; every artifact is served by B from the bucket.
      for (String id : ids.values()) {
        Http.Response r = Tuf.publish(q, id);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
      }
      TufUpdater device =
          new TufUpdater(
              Clock.systemUTC(), Tuf.remote(viaB.base()), new InMemoryTrustedStore(), root1);
      device.refresh();
      for (String version : ids.keySet()) {
        TargetInfo target =
            device.targetInfo(PRODUCT + "/" + version + "/system.img").orElseThrow();
        assertThat(device.download(target)).isEqualTo(artifacts(version).get("system.img"));
      }
      assertThat(ReleaseStates.of(viaB, adminToken, PRODUCT).values()).containsOnly("published");
    }
  }

  private ServeProcess start(String name, List<String> options) {
    ServeProcess server = new ServeProcess(name, temp, ServeProcess.freePort(), List.of(), options);
    servers.add(server);
    return server.start();
  }

  /** Every release record in the log belongs to a PUBLISHED release, and only those. */
  private static void assertNothingHalfPublished(Http http, LogAuditor log, String adminToken) {
    Map<String, String> states = ReleaseStates.of(http, adminToken, PRODUCT);
    Set<String> logged = log.releaseIds();
    for (String id : logged) {
      assertThat(states.get(id)).as("release %s is in the log", id).isEqualTo("published");
    }
    states.forEach(
        (id, state) ->
            assertThat(state.equals("published"))
                .as("release %s is %s", id, state)
                .isEqualTo(logged.contains(id)));
  }

  private static Map<String, byte[]> artifacts(String version) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("system.img", Pipeline.generated(version + "-system", 2048));
    return files;
  }
}
