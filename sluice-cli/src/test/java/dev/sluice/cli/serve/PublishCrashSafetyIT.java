package dev.sluice.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.Tuf;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.tlog.Checkpoint;
import dev.sluice.trust.tuf.InMemoryTrustedStore;
import dev.sluice.trust.tuf.TargetInfo;
import dev.sluice.trust.tuf.TufUpdater;
import dev.sluice.trust.tuf.model.DelegatedRole;
import dev.sluice.trust.tuf.model.Delegations;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.TargetFile;
import dev.sluice.trust.tuf.model.Targets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of publication: the real {@code sluice serve} runs as a separate process and is
 * killed with SIGKILL during publish operations, restarted on the same data directory each time,
 * and every interrupted operation is resumed from where it stood. What the log and the TUF
 * repository served throughout must stay consistent with the end state.
 *
 * <p>Each batch of eight operations is killed twice: once during one step of one release's
 * preparation (a release takes six steps: create, upload, upload, check, approve and the read that
 * finds it certified) and once while the batch publishes concurrently (the delays are spread over
 * the publish window, from before the first log append to after the last TUF write). In the normal
 * run, successive batches aim at successive kinds of write (create, the first upload, check,
 * approve), so every transaction of the preparation is interrupted once, and their publish kills at
 * successive quarters of the publish window: four batches, 8 kills. The second upload (the same
 * transaction as the first) and the read that finds a release certified are killed only in the soak
 * ({@code SLUICE_CRASH_SOAK=1}, run by {@code bench/run crash-soak}), which does 200 operations
 * with at least 20 kills at random points of every step.
 *
 * <p>Set {@code -Dsluice.crash.seed=N} to replay a run (timing aside).
 */
class PublishCrashSafetyIT {
  private static final String PRODUCT = "acme-phone";
  private static final boolean SOAK = System.getenv("SLUICE_CRASH_SOAK") != null;
  private static final int OPERATIONS = SOAK ? 200 : 32;
  private static final int BATCH = 8;
  private static final int PREPARATION_STEPS = 6;

  /** The preparation steps the normal run kills, one per batch: create, upload, check, approve. */
  private static final int[] WRITE_STEPS = {0, 1, 3, 4};

  private static final int MIN_KILLS = SOAK ? 20 : 2 * OPERATIONS / BATCH;
  private static final int PUBLISH_WINDOW_MS = 1500;

  @TempDir Path temp;
  private ServeProcess server;
  private Pipeline p;
  private Map<String, SigningKey> certifierKeys;
  private Map<String, String> certifierTokens;
  private String adminToken;
  private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService publishers = Executors.newFixedThreadPool(BATCH);

  private final List<byte[]> checkpoints = new ArrayList<>();
  private final List<long[]> tufVersions = new ArrayList<>();
  private int kills;

  /** One publish operation: a version and, once known, its release id. */
  private static final class Operation {
    final String version;
    String id;
    boolean createSent;

    Operation(String version) {
      this.version = version;
    }
  }

  @AfterEach
  void stop() {
    killer.shutdownNow();
    publishers.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void publicationSurvivesSigkillAtRandomPoints() throws Exception {
    assertThat(ServeProcess.JAR)
        .as("run through 'mvnw verify': the shaded jar must exist")
        .exists();
    long seed = Long.getLong("sluice.crash.seed", System.nanoTime());
    System.out.println("PublishCrashSafetyIT seed " + seed);
    Random random = new Random(seed);
    long startedAt = System.nanoTime();

    Path data = temp.resolve("data");
    server =
        new ServeProcess(
                "server",
                temp,
                ServeProcess.freePort(),
                List.of(),
                List.of("--data", data.toString()))
            .start();
    adminToken = Files.readString(data.resolve("admin.token")).strip();
    p = new Pipeline(server.http(), adminToken).certifiers(1);
    certifierKeys = new LinkedHashMap<>(p.certifierKeys);
    certifierTokens = new LinkedHashMap<>(p.certifierTokens);
    assertThat(p.createProduct(PRODUCT, 1, 1 << 20).status()).isEqualTo(201);
    byte[] root1 = Tuf.init(p, Tuf.rootKeys(3));
    observe();

    List<Operation> all = new ArrayList<>();
    int batches = OPERATIONS / BATCH;
    for (int b = 0; b < batches; b++) {
      List<Operation> batch = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        Operation op = new Operation("1." + (all.size() / 100) + "." + (all.size() % 100));
        batch.add(op);
        all.add(op);
      }
      // Where kills land: during one step of one release's preparation, and/or during publish.
      int need = MIN_KILLS - kills;
      int remaining = batches - b;
      boolean killInPrep = !SOAK || random.nextInt(10) < 6 || need > remaining;
      boolean killInPublish = !SOAK || random.nextInt(10) < 4 || need >= remaining;
      // Outside the soak: batch b aims at the b-th kind of write of a random release, and its
      // publish kill at the b-th of `batches` equal slices of the publish window.
      int killAt =
          !killInPrep
              ? -1
              : SOAK
                  ? random.nextInt(BATCH * PREPARATION_STEPS)
                  : PREPARATION_STEPS * random.nextInt(BATCH) + WRITE_STEPS[b % WRITE_STEPS.length];
      int killDelayMs = random.nextInt(51);
      int slice = PUBLISH_WINDOW_MS / batches;
      int publishKillDelayMs =
          SOAK ? random.nextInt(PUBLISH_WINDOW_MS) : b * slice + random.nextInt(slice);
      int step = 0;
      for (Operation op : batch) {
        while (true) {
          boolean armed = step++ == killAt;
          ScheduledFuture<?> pending = armed ? arm(killDelayMs) : null;
          boolean more;
          try {
            more = advance(op);
          } catch (UncheckedIOException | IllegalStateException e) {
            if (pending == null) {
              throw e;
            }
            more = true;
          }
          if (pending != null) {
            restartAfter(pending);
          }
          if (!more) {
            break;
          }
        }
      }
      ScheduledFuture<?> pending = killInPublish ? arm(publishKillDelayMs) : null;
      publishAll(batch, pending != null);
      if (pending != null) {
        restartAfter(pending);
        publishAll(batch, false);
      }
      observe();
    }

    // The end state, checked from scratch.
    LogAuditor log = new LogAuditor(p.http);
    Checkpoint last = log.checkpoint();
    // One entry per publication, never a second, after the product's first policy record.
    assertThat(last.size())
        .as("one log entry per publication, never a second")
        .isEqualTo(OPERATIONS + 1);
    log.assertConsistent(checkpoints, last);
    for (int i = 1; i < tufVersions.size(); i++) {
      assertThat(tufVersions.get(i)[0])
          .as("timestamp version")
          .isGreaterThanOrEqualTo(tufVersions.get(i - 1)[0]);
      assertThat(tufVersions.get(i)[1])
          .as("snapshot version")
          .isGreaterThanOrEqualTo(tufVersions.get(i - 1)[1]);
    }
    assertThat(tufVersions.getLast()[0]).isGreaterThan(tufVersions.getFirst()[0]);

    Map<String, String> states = releaseStates();
    assertThat(states)
        .hasSize(OPERATIONS)
        .allSatisfy((id, state) -> assertThat(state).isEqualTo("published"));
    Set<String> logged = loggedReleaseIds();
    assertThat(logged).isEqualTo(states.keySet());

    TufUpdater device =
        new TufUpdater(
            Clock.systemUTC(), Tuf.remote(p.http.base()), new InMemoryTrustedStore(), root1);
    device.refresh();
    for (Operation op : all) {
      TargetInfo target =
          device.targetInfo(PRODUCT + "/" + op.version + "/system.img").orElseThrow();
      assertThat(device.download(target)).isEqualTo(artifacts(op.version).get("system.img"));
      JsonNode custom = target.file().custom().orElseThrow();
      assertThat(custom.get("release_id").asText()).isEqualTo(op.id);
      JsonNode lookup =
          p.http.get("/log/v1/lookup?leaf_hash=" + custom.get("leaf_hash").asText(), null).json();
      assertThat(lookup.get("index").asLong()).isEqualTo(custom.get("log_index").asLong());
    }

    Duration took = Duration.ofNanos(System.nanoTime() - startedAt);
    System.out.printf(
        "PublishCrashSafetyIT: %d publish operations, %d kills, %d checkpoints checked, seed %d,"
            + " %d s%n",
        OPERATIONS, kills, checkpoints.size(), seed, took.toSeconds());
    assertThat(kills).isGreaterThanOrEqualTo(MIN_KILLS);
  }

  /** Performs the next step of an operation as the server's state says; false once certified. */
  private boolean advance(Operation op) {
    if (op.id == null) {
      op.id = op.createSent ? findRelease(op.version) : null;
      if (op.id == null) {
        op.createSent = true;
        Map<String, byte[]> files = artifacts(op.version);
        Http.Response created =
            p.createRelease(PRODUCT, op.version, Pipeline.manifest(PRODUCT, op.version, files));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        op.id = created.json().get("id").asText();
        return true;
      }
    }
    JsonNode release = p.release(op.id);
    String state = release.get("state").asText();
    switch (state) {
      case "draft" -> {
        Set<String> uploaded = new HashSet<>(Pipeline.names(release.get("artifacts"), "name"));
        for (Map.Entry<String, byte[]> file : artifacts(op.version).entrySet()) {
          if (!uploaded.contains(file.getKey())) {
            Http.Response r = p.upload(op.id, file.getKey(), file.getValue());
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            return true;
          }
        }
        Http.Response checked = p.check(op.id);
        assertThat(checked.json().get("state").asText()).as(checked.text()).isEqualTo("checked");
        return true;
      }
      case "checked" -> {
        Http.Response approved = p.approve(op.id, "lab-1");
        assertThat(approved.status()).as(approved.text()).isEqualTo(201);
        return true;
      }
      case "certified", "published" -> {
        return false;
      }
      default -> throw new AssertionError(op.version + " is " + state + ": " + release);
    }
  }

  /** Publishes the batch concurrently; if a kill is armed, failures are expected. */
  private void publishAll(List<Operation> batch, boolean killArmed) throws Exception {
    List<Future<Http.Response>> results = new ArrayList<>();
    for (Operation op : batch) {
      results.add(publishers.submit(() -> Tuf.publish(p, op.id)));
    }
    for (int i = 0; i < results.size(); i++) {
      try {
        Http.Response r = results.get(i).get();
        if (!killArmed) {
          assertThat(r.status()).as(r.text()).isEqualTo(200);
          assertThat(p.release(batch.get(i).id).get("state").asText()).isEqualTo("published");
        }
      } catch (ExecutionException e) {
        if (!killArmed) {
          throw e;
        }
      }
    }
  }

  private ScheduledFuture<?> arm(int delayMs) {
    return killer.schedule(server::kill, delayMs, TimeUnit.MILLISECONDS);
  }

  private void restartAfter(ScheduledFuture<?> kill) throws Exception {
    kill.get();
    kills++;
    server.start();
    Pipeline fresh = new Pipeline(server.http(), adminToken);
    fresh.certifierKeys.putAll(certifierKeys);
    fresh.certifierTokens.putAll(certifierTokens);
    p = fresh;
    observe();
    assertNothingHalfPublished();
  }

  /** Records the checkpoint and the TUF timestamp and snapshot versions now served. */
  private void observe() {
    checkpoints.add(p.http.get("/log/checkpoint", null).body());
    JsonNode timestamp = p.http.get("/tuf/timestamp.json", null).json().get("signed");
    tufVersions.add(
        new long[] {
          timestamp.get("version").asLong(),
          timestamp.get("meta").get("snapshot.json").get("version").asLong()
        });
  }

  /**
   * Right after a restart: every release record in the log belongs to a PUBLISHED release, and no
   * release in another state has a TUF target.
   */
  private void assertNothingHalfPublished() {
    Map<String, String> states = releaseStates();
    for (String id : loggedReleaseIds()) {
      assertThat(states.get(id)).as("release %s is in the log", id).isEqualTo("published");
    }
    Set<String> targeted = new HashSet<>();
    for (TargetFile target : productTargets().values()) {
      targeted.add(target.custom().orElseThrow().get("release_id").asText());
    }
    states.forEach(
        (id, state) ->
            assertThat(targeted.contains(id))
                .as("release %s (%s) has TUF targets", id, state)
                .isEqualTo(state.equals("published")));
  }

  private Map<String, TargetFile> productTargets() {
    long snapshot =
        p.http
            .get("/tuf/timestamp.json", null)
            .json()
            .get("signed")
            .get("meta")
            .get("snapshot.json")
            .get("version")
            .asLong();
    JsonNode meta =
        p.http.get("/tuf/" + snapshot + ".snapshot.json", null).json().get("signed").get("meta");
    JsonNode role = meta.get(PRODUCT + ".json");
    if (role == null) {
      return Map.of();
    }
    Targets productRole = fileOf(meta, PRODUCT);
    // Signed online, the product's role delegates its targets to hashed bins.
    Map<String, TargetFile> targets = new TreeMap<>(productRole.targets());
    for (DelegatedRole bin : productRole.delegations().map(Delegations::roles).orElse(List.of())) {
      targets.putAll(fileOf(meta, bin.name()).targets());
    }
    return targets;
  }

  private Targets fileOf(JsonNode snapshotMeta, String role) {
    long version = snapshotMeta.get(role + ".json").get("version").asLong();
    byte[] bytes = p.http.get("/tuf/" + version + "." + role + ".json", null).body();
    return Metadata.parse(bytes, Targets.class).signed();
  }

  /** The release ids in the log, each once; besides them it holds only policy records. */
  private Set<String> loggedReleaseIds() {
    LogAuditor log = new LogAuditor(p.http);
    Set<String> ids = new HashSet<>();
    int entries = 0;
    for (JsonNode record : log.records(log.checkpoint())) {
      // Besides the releases, the log holds each product's certification policy records.
      if (record.get("type").asText().equals("policy")) {
        continue;
      }
      assertThat(record.get("type").asText()).isEqualTo("release");
      ids.add(record.get("release_id").asText());
      entries++;
    }
    assertThat(ids).as("no release is logged twice").hasSize(entries);
    return ids;
  }

  private Map<String, String> releaseStates() {
    return ReleaseStates.of(p.http, adminToken, PRODUCT);
  }

  private String findRelease(String version) {
    for (JsonNode r : releases()) {
      if (r.get("version").asText().equals(version)) {
        return r.get("id").asText();
      }
    }
    return null;
  }

  private JsonNode releases() {
    Http.Response list =
        p.http.get("/api/v1/releases?product=" + PRODUCT + "&limit=500", adminToken);
    assertThat(list.status()).as(list.text()).isEqualTo(200);
    return list.json().get("releases");
  }

  /** Two small artifacts, generated from the version. */
  private static Map<String, byte[]> artifacts(String version) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("system.img", Pipeline.generated(version + "-system", 2048));
    files.put("boot.img", Pipeline.generated(version + "-boot", 512));
    return files;
  }
}
