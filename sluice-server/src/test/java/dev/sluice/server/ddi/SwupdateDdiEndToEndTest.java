package dev.sluice.server.ddi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceStatus;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.swupdate.SigningCertificate;
import dev.sluice.server.testing.swupdate.SwuImage;
import dev.sluice.server.testing.swupdate.SwupdateProcess;
import dev.sluice.server.testing.swupdate.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SWUpdate (suricatta) against Sluice's device API: it polls, downloads and installs a
 * signed image, and the action succeeds only once SWUpdate confirms after its restart ({@code -c
 * 2}); a corrupted image fails the action and is not offered again.
 */
class SwupdateDdiEndToEndTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path dir;
  DdiFixture f;
  SigningCertificate signer;

  @BeforeEach
  void start() {
    Tools.swupdate();
    f =
        new DdiFixture(
            dir.resolve("server"),
            c -> c.polling(Duration.ofSeconds(1), Duration.ZERO).rateLimit(50, 200));
    signer = SigningCertificate.generate(dir.resolve("signer"), "signer");
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  private SwupdateProcess.Settings settings(String device, String token, String work) {
    return new SwupdateProcess.Settings(
        f.http.base(), "DEFAULT", device, token, signer, "board:rev1", dir.resolve(work), Map.of());
  }

  @Test
  void anInstalledImageSucceedsOnlyAfterTheConfirmationFromTheRestartedDevice() throws IOException {
    Path target = dir.resolve("target.bin");
    byte[] payload = "new root file system".getBytes(StandardCharsets.UTF_8);
    SwuImage image =
        SwuImage.builder()
            .version("2.0.0")
            .hardwareCompatibility("rev1")
            .rawFile("payload.bin", payload, target)
            .build(signer);
    String release = f.published("2.0.0", Map.of("update.swu", image.bytes()));
    String token = f.device("swu-e2e-1");
    long id = f.assign("swu-e2e-1", release, "forced", null).get("id").asLong();

    try (SwupdateProcess swupdate = SwupdateProcess.start(settings("swu-e2e-1", token, "w1"))) {
      await()
          .atMost(PATIENCE)
          .until(() -> f.status(id, "swu-e2e-1").equals("installed") || failed(id, "swu-e2e-1"));
      assertThat(f.status(id, "swu-e2e-1")).as(swupdate.log()).isEqualTo("installed");
      assertThat(Files.readAllBytes(target)).isEqualTo(payload);
      assertThat(f.stored("swu-e2e-1").status()).isEqualTo(DeviceStatus.PENDING);

      swupdate.confirm();
      await().atMost(PATIENCE).until(() -> f.status(id, "swu-e2e-1").equals("succeeded"));
    }
    Device device = f.stored("swu-e2e-1");
    assertThat(device.status()).isEqualTo(DeviceStatus.IN_SYNC);
    assertThat(device.installedVersion().orElseThrow().value()).isEqualTo("2.0.0");
  }

  @Test
  void aCorruptedImageFailsTheActionAndWritesNothing() {
    Path target = dir.resolve("target-bad.bin");
    SwuImage image =
        SwuImage.builder()
            .version("2.0.1")
            .hardwareCompatibility("rev1")
            .rawFile("payload.bin", "x".repeat(1000).getBytes(StandardCharsets.UTF_8), target)
            .build(signer)
            .withCorruptedPayload("payload.bin");
    String release = f.published("2.0.1", Map.of("update.swu", image.bytes()));
    String token = f.device("swu-e2e-2");
    long id = f.assign("swu-e2e-2", release, "forced", null).get("id").asLong();

    try (SwupdateProcess swupdate = SwupdateProcess.start(settings("swu-e2e-2", token, "w2"))) {
      await().atMost(PATIENCE).until(() -> failed(id, "swu-e2e-2"));
      assertThat(f.stored("swu-e2e-2").status()).as(swupdate.log()).isEqualTo(DeviceStatus.ERROR);
    }
    assertThat(Files.exists(target)).isFalse();
    assertThat(
            DdiFixture.deploymentHref(
                f.get(DdiFixture.ddi("swu-e2e-2"), DdiFixture.target(token)).json()))
        .isNull();
  }

  /**
   * SWUpdate 2022.12 answers a download-only deployment ({@code update: skip}) with {@code
   * closed/success} "Skipped Update." without fetching the artifact. hawkBit's download-only
   * succeeds when the device holds the artifacts: Sluice records what it did (no download) and
   * fails the action with that reason, instead of counting a success.
   */
  @Test
  void aDownloadOnlyActionSkippedBySwupdateWithoutADownloadIsNotASuccess() {
    Path target = dir.resolve("target-dlo.bin");
    SwuImage image =
        SwuImage.builder()
            .version("2.0.2")
            .hardwareCompatibility("rev1")
            .rawFile("payload.bin", "staged".getBytes(StandardCharsets.UTF_8), target)
            .build(signer);
    String release = f.published("2.0.2", Map.of("update.swu", image.bytes()));
    String token = f.device("swu-dlo-1");
    long id = f.assign("swu-dlo-1", release, "downloadonly", null).get("id").asLong();

    try (SwupdateProcess swupdate = SwupdateProcess.start(settings("swu-dlo-1", token, "w3"))) {
      await().atMost(PATIENCE).until(() -> !f.status(id, "swu-dlo-1").matches("offered|running"));
      assertThat(f.status(id, "swu-dlo-1")).as(swupdate.log()).isEqualTo("failed");
    }
    assertThat(Files.exists(target)).isFalse();
    Http.Response history =
        f.http.get("/api/v1/devices/swu-dlo-1/actions/" + id + "/feedback", f.p.adminToken);
    String recorded = history.json().get("feedback").toString();
    // What the device actually did: it skipped, and no artifact was served to it.
    assertThat(recorded).contains("closed").doesNotContain("server-download");
    assertThat(f.stored("swu-dlo-1").installedVersion()).isEmpty();
  }

  private boolean failed(long id, String device) {
    return f.status(id, device).equals("failed");
  }
}
