package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk (issue 10, item 20), on a small tmpfs the test mounts: writes answer 507 saying the
 * disk is full (never a 500), health and readiness report it, and once space is freed the server
 * accepts writes again without a restart. Skipped, with the reason, where mounting is impossible
 * (not root, no tmpfs).
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
    Assumptions.assumeTrue(
        done && p.exitValue() == 0,
        "cannot mount a small tmpfs to fill (needs root and tmpfs): " + output.strip());
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

    JsonNode health = http.get("/api/v1/health", null).json();
    assertThat(health.get("status").asText()).isEqualTo("degraded");
    assertThat(health.toString()).contains("disk_full");
    assertThat(http.get("/api/v1/ready", null).status()).isEqualTo(503);

    Files.delete(filler);
    assertThat(http.get("/api/v1/ready", null).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/health", null).json().get("status").asText()).isEqualTo("ok");
    Http.Response again = p.upload(id, "system.img", files.get("system.img"));
    assertThat(again.status()).as(again.text()).isEqualTo(201);
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
