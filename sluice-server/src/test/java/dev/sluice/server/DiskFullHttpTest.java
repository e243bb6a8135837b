package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RequiredTool;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.SimulatedDevice;
import dev.sluice.server.testing.Tuf;
import dev.sluice.trust.tlog.EntryBundles;
import dev.sluice.trust.tuf.InMemoryTrustedStore;
import dev.sluice.trust.tuf.TargetInfo;
import dev.sluice.trust.tuf.TufUpdater;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk (issue 10, item 20), on a small tmpfs the test mounts: writes (uploads, tokens,
 * registrations, a device's configData, a publication) answer 507 saying the disk is full (never a
 * 500), health and readiness report it (the details only to a caller with a token), a refused
 * publication leaves nothing half-written, and once space is freed the server accepts writes again
 * without a restart. Skipped, with the reason, where mounting is impossible (not root, no tmpfs),
 * except in CI ({@code CI} set, or {@code SLUICE_DISKFULL_REQUIRED=true}), where it fails.
 */
class DiskFullHttpTest {
  @TempDir Path temp;
  Path mount;
  boolean mounted;
  RunningServer running;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    mount = Files.createDirectories(temp.resolve("disk"));
    Process p =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString())
            .redirectErrorStream(true)
            .start();
    boolean done = p.waitFor(30, TimeUnit.SECONDS);
    String output = new String(p.getInputStream().readAllBytes());
    if (!done || p.exitValue() != 0) {
      RequiredTool.unavailable(
          "cannot mount a small tmpfs to fill (needs root and tmpfs): " + output.strip(),
          "SLUICE_DISKFULL_REQUIRED");
    }
    mounted = true;
  }

  @AfterEach
  void unmount() throws Exception {
    if (running != null) {
      running.close();
    }
    if (mounted) {
      new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void writesOnAFullDiskAnswer507AndTheServerRecoversOnceSpaceIsFreed() throws Exception {
    Path data = mount.resolve("data");
    running = new RunningServer(data);
    Pipeline p = running.pipeline.certifiers(1);
    Http http = p.http;
    assertThat(p.createProduct("acme-phone", 1, 8 << 20).status()).isEqualTo(201);
    Map<String, byte[]> files = Map.of("system.img", Pipeline.generated("full", 4 << 20));
    Http.Response created =
        p.createRelease("acme-phone", "1.0.0", Pipeline.manifest("acme-phone", "1.0.0", files));
    String id = created.json().get("id").asText();

    Path filler = mount.resolve("filler");
    fill(filler);
    Http.Response upload = p.upload(id, "system.img", files.get("system.img"));
    assertThat(upload.status()).as(upload.text()).isEqualTo(507);
    assertThat(upload.json().get("detail").asText()).contains("disk is full");
    Http.Response token =
        http.post(
            "/api/v1/tokens",
            p.adminToken,
            Http.object().put("role", "auditor").put("label", "while full"));
    assertThat(token.status()).as(token.text()).isIn(201, 507);
    Http.Response device =
        http.post(
            "/api/v1/devices",
            p.adminToken,
            Http.object().put("controller_id", "phone-full-1").put("product", "acme-phone"));
    assertThat(device.status()).as(device.text()).isIn(201, 507);

    assertThat(http.get("/api/v1/health", null).json().toString())
        .isEqualTo("{\"status\":\"degraded\"}");
    JsonNode health = http.get("/api/v1/health", p.adminToken).json();
    assertThat(health.get("status").asText()).isEqualTo("degraded");
    assertThat(health.toString()).contains("disk_full");
    assertThat(http.get("/api/v1/ready", null).status()).isEqualTo(503);

    Files.delete(filler);
    assertThat(http.get("/api/v1/ready", null).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/health", null).json().get("status").asText()).isEqualTo("ok");
    Http.Response again = p.upload(id, "system.img", files.get("system.img"));
    assertThat(again.status()).as(again.text()).isEqualTo(201);
  }

  @Test
  void configDataAndPublishOnAFullDiskAnswer507AndLeaveNoHalfWrittenPublication() throws Exception {
    running = new RunningServer(mount.resolve("data"));
    Pipeline p = running.pipeline.certifiers(2);
    Http http = p.http;
    assertThat(p.createProduct("acme-phone", 2, 1 << 20).status()).isEqualTo(201);
    byte[] root1 = Tuf.init(p, Tuf.rootKeys(3));
    Map<String, byte[]> files = Pipeline.artifacts("full-publish");
    String release = Tuf.certified(p, "acme-phone", "1.0.0", files);
    Http.Response registered =
        http.post(
            "/api/v1/devices",
            p.adminToken,
            Http.object().put("controller_id", "phone-1").put("product", "acme-phone"));
    SimulatedDevice device =
        new SimulatedDevice(http, "phone-1", registered.json().get("token").asText());
    long logSize = running.server.transparencyLog().latestCheckpoint().size();

    Path filler = mount.resolve("filler");
    fill(filler);
    exhaustTheDatabase(p);
    Http.Response config = device.configData(Map.of("board", "b1"));
    assertThat(config.status()).as(config.text()).isEqualTo(507);
    assertThat(config.json().get("detail").asText()).contains("disk is full");
    Http.Response publish = Tuf.publish(p, release);
    assertThat(publish.status()).as(publish.text()).isEqualTo(507);
    assertThat(publish.json().get("detail").asText()).contains("disk is full");
    assertThat(p.release(release).get("state").asText()).isEqualTo("certified");
    assertThat(http.get("/api/v1/health", null).json().get("status").asText())
        .isEqualTo("degraded");
    assertThat(http.get("/api/v1/health", p.adminToken).json().toString()).contains("disk_full");
    assertThat(http.get("/api/v1/ready", null).status()).isEqualTo(503);

    Files.delete(filler);
    assertThat(http.get("/api/v1/ready", null).status()).isEqualTo(200);
    Http.Response configAgain = device.configData(Map.of("board", "b2"));
    assertThat(configAgain.status()).as(configAgain.text()).isEqualTo(200);
    assertThat(
            http.get("/api/v1/devices/phone-1", p.adminToken)
                .json()
                .at("/attributes/board")
                .asText())
        .isEqualTo("b2");
    Http.Response published = Tuf.publish(p, release);
    assertThat(published.status()).as(published.text()).isEqualTo(200);
    // Published once: one release record in the log, and the TUF repository verifies.
    running.server.transparencyLog().sequencer().runOnce();
    long size = running.server.transparencyLog().latestCheckpoint().size();
    List<byte[]> entries =
        EntryBundles.decode(http.get("/log/tile/entries/000.p/" + size, null).body());
    long records =
        entries.subList((int) logSize, entries.size()).stream()
            .map(e -> new String(e, StandardCharsets.UTF_8))
            .filter(e -> e.contains("\"release_id\":\"" + release + "\""))
            .count();
    assertThat(records).isEqualTo(1);
    assertThat(published.json().get("log_index").asLong()).isGreaterThanOrEqualTo(logSize);
    TufUpdater updater =
        new TufUpdater(
            Clock.systemUTC(), Tuf.remote(http.base()), new InMemoryTrustedStore(), root1);
    updater.refresh();
    TargetInfo target = updater.targetInfo("acme-phone/1.0.0/system.img").orElseThrow();
    assertThat(updater.download(target)).isEqualTo(files.get("system.img"));
  }

  /**
   * Writes small rows until the database itself refuses: SQLite re-uses the room its WAL file
   * already has, so a full file system does not fail its next write at once.
   */
  private static void exhaustTheDatabase(Pipeline p) {
    for (int i = 0; i < 5_000; i++) {
      Http.Response r =
          p.http.post(
              "/api/v1/tokens",
              p.adminToken,
              Http.object().put("role", "auditor").put("label", "filler " + i));
      if (r.status() == 507) {
        return;
      }
      assertThat(r.status()).as(r.text()).isEqualTo(201);
    }
    throw new AssertionError("the database never ran out of room");
  }

  /** Writes {@code file} until the file system refuses. */
  private static void fill(Path file) throws IOException {
    byte[] chunk = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException e) {
      assertThat(e.getMessage()).containsIgnoringCase("no space left");
    }
  }
}
