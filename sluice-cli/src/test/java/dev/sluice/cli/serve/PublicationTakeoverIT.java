package dev.sluice.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.Tuf;
import dev.sluice.store.blob.S3TestServer;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.tlog.Checkpoint;
import dev.sluice.trust.tlog.EntryBundleId;
import dev.sluice.trust.tlog.NoteVerifier;
import dev.sluice.trust.tlog.SignedNote;
import dev.sluice.trust.tlog.TileAudit;
import dev.sluice.trust.tlog.TileHashReader;
import dev.sluice.trust.tlog.Tiles;
import dev.sluice.trust.tuf.InMemoryTrustedStore;
import dev.sluice.trust.tuf.TargetInfo;
import dev.sluice.trust.tuf.TufUpdater;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
  private static final Path JAR = Path.of("target", "sluice.jar");

  @TempDir Path temp;
  private final List<Process> servers = new ArrayList<>();
  private final ExecutorService publishers = Executors.newFixedThreadPool(RELEASES);

  @AfterEach
  void stop() {
    publishers.shutdownNow();
    servers.forEach(Process::destroyForcibly);
  }

  @Test
  void aSurvivingInstanceFinishesThePublicationsOfAKilledOne() throws Exception {
    assertThat(JAR).as("run through 'mvnw verify': the shaded jar must exist").exists();
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
      Process a = start("a", shared);
      String adminToken = Files.readString(data.resolve("admin.token")).strip();
      Http viaA = http(a);
      Process b = start("b", shared);
      Http viaB = http(b);

      Pipeline p = new Pipeline(viaA, adminToken).certifiers(2);
      assertThat(p.createProduct(PRODUCT, 2, 1 << 20).status()).isEqualTo(201);
      byte[] root1 = Tuf.init(p, Tuf.rootKeys(3));
      Map<String, String> ids = new LinkedHashMap<>();
      for (int i = 0; i < RELEASES; i++) {
        String version = "1.0." + i;
        ids.put(version, Tuf.certified(p, PRODUCT, version, artifacts(version)));
      }

      long before = checkpointSize(viaB);
      List<Future<Http.Response>> publishing = new ArrayList<>();
      for (String id : ids.values()) {
        publishing.add(publishers.submit(() -> Tuf.publish(p, id)));
      }
      // SIGKILL as soon as the first records are in the log: A is then between logging and TUF.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> checkpointSize(viaB) > before);
      Thread.sleep(random.nextInt(20));
      a.destroyForcibly().waitFor();
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
          .untilAsserted(() -> assertNothingHalfPublished(q, adminToken));
      int logged = loggedReleaseIds(q).size();
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
      assertThat(releaseStates(q, adminToken).values()).containsOnly("published");
      b.destroy();
      b.waitFor();
    }
  }

  private Process start(String name, List<String> options) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(), "serve"));
    command.addAll(options);
    command.addAll(List.of("--port", Integer.toString(port)));
    Path log = temp.resolve("server-" + name + ".log");
    Process server =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    servers.add(server);
    ports.put(server, port);
    Http http = http(server);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .failFast("the server exited; see " + log, () -> !server.isAlive())
        .until(() -> http.get("/api/v1/health", null).status() == 200);
    return server;
  }

  private final Map<Process, Integer> ports = new HashMap<>();

  private Http http(Process server) {
    return new Http(URI.create("http://127.0.0.1:" + ports.get(server)));
  }

  /** Every release record in the log belongs to a PUBLISHED release, and only those. */
  private static void assertNothingHalfPublished(Pipeline p, String adminToken) {
    Map<String, String> states = releaseStates(p, adminToken);
    Set<String> logged = loggedReleaseIds(p);
    for (String id : logged) {
      assertThat(states.get(id)).as("release %s is in the log", id).isEqualTo("published");
    }
    states.forEach(
        (id, state) ->
            assertThat(state.equals("published"))
                .as("release %s is %s", id, state)
                .isEqualTo(logged.contains(id)));
  }

  /** The size of the log's newest checkpoint (the second line of the signed note). */
  private static long checkpointSize(Http http) {
    String note = http.get("/log/checkpoint", null).text();
    return Long.parseLong(note.split("\n")[1]);
  }

  private static Set<String> loggedReleaseIds(Pipeline p) {
    NoteVerifier vkey = NoteVerifier.parse(p.http.get("/log/v1/key", null).text().strip());
    Checkpoint checkpoint =
        Checkpoint.fromVerifiedNote(
            SignedNote.open(p.http.get("/log/checkpoint", null).body(), vkey));
    Set<String> ids = new HashSet<>();
    if (checkpoint.size() == 0) {
      return ids;
    }
    TileHashReader tiles =
        TileAudit.verifyHashTiles(checkpoint.size(), checkpoint.rootHash(), path -> tile(p, path));
    for (EntryBundleId bundle : Tiles.entryBundles(checkpoint.size())) {
      for (byte[] entry : TileAudit.verifyEntryBundle(bundle, tile(p, bundle.path()), tiles)) {
        JsonNode record = CanonicalJson.parse(entry);
        if (record.get("type").asText().equals("release")) {
          assertThat(ids.add(record.get("release_id").asText())).as("logged once").isTrue();
        }
      }
    }
    return ids;
  }

  private static byte[] tile(Pipeline p, String path) {
    Http.Response r = p.http.get("/log/" + path, null);
    assertThat(r.status()).as(path).isEqualTo(200);
    return r.body();
  }

  private static Map<String, String> releaseStates(Pipeline p, String adminToken) {
    Http.Response list =
        p.http.get("/api/v1/releases?product=" + PRODUCT + "&limit=500", adminToken);
    assertThat(list.status()).as(list.text()).isEqualTo(200);
    Map<String, String> states = new HashMap<>();
    list.json()
        .get("releases")
        .forEach(r -> states.put(r.get("id").asText(), r.get("state").asText()));
    return states;
  }

  private static Map<String, byte[]> artifacts(String version) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("system.img", Pipeline.generated(version + "-system", 2048));
    return files;
  }
}
