package dev.sluice.server.ddi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.rauc.RaucSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code rauc service} (Debian's RAUC 1.8, noop bootloader, on a private D-Bus session bus)
 * updated through Sluice by a driver that speaks DDI as rauc-hawkbit-updater does. The updater
 * reports {@code closed/success} before its reboot and never confirms after it; Sluice must not
 * offer the installation again (the updater would reinstall it every poll) and must still learn
 * that the device runs the new version: from the {@code sw_version} attribute the updater sends
 * when the poll offers {@code configData}, which Sluice does while it awaits the running version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RaucHawkbitUpdaterTest {
  @TempDir static Path dir;
  DdiFixture f;

  /** Each release is newer than the one before (the standards refuse a downgrade). */
  private int releases;

  private String nextVersion() {
    return "1.0." + (++releases);
  }

  @BeforeAll
  void start() {
    f =
        new DdiFixture(
            dir.resolve("server"),
            c -> c.polling(Duration.ofSeconds(1), Duration.ZERO).rateLimit(1000, 1000));
  }

  @AfterAll
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void anActionEndsSucceededAfterExactlyOneInstallAndTheRunningVersion() throws Exception {
    Path work = Files.createDirectories(dir.resolve("rv"));
    try (RaucSystem rauc = RaucSystem.start(work.resolve("rauc"), "sluice-rauc-test")) {
      String version = nextVersion();
      byte[] bundle = rauc.bundle(version, Pipeline.generated("rootfs-" + version, 200 * 1024));
      String release = f.published(version, Map.of("update.raucb", bundle));
      String token = f.device("rauc-1");
      long id = f.assign("rauc-1", release, "forced", null).get("id").asLong();

      RaucHawkbitDriver updater =
          new RaucHawkbitDriver(f.http.base(), "rauc-1", token, rauc, work, "0.9.0");
      for (int poll = 0; poll < 8; poll++) {
        updater.pollOnce();
      }
      // One download, one installation, one closed/success: then nothing more is offered.
      assertThat(updater.installs()).as(String.join("\n", updater.log())).isEqualTo(1);
      assertThat(rauc.installations()).as(rauc.log()).isEqualTo(1);
      assertThat(f.status(id, "rauc-1")).isEqualTo("awaiting_version");
      assertThat(updater.log().stream().filter(l -> l.contains("\"closed\"")).count())
          .as(String.join("\n", updater.log()))
          .isEqualTo(1 + updater.log().stream().filter(l -> l.contains("/configData")).count());

      // The device reboots into the slot RAUC wrote; a fresh updater process polls.
      rauc.reboot();
      assertThat(rauc.bootedVersion()).contains(version);
      RaucHawkbitDriver afterReboot =
          new RaucHawkbitDriver(f.http.base(), "rauc-1", token, rauc, work, "0.9.0");
      for (int poll = 0; poll < 4; poll++) {
        afterReboot.pollOnce();
      }
      assertThat(f.status(id, "rauc-1"))
          .as(String.join("\n", afterReboot.log()))
          .isEqualTo("succeeded");
      assertThat(afterReboot.installs()).isZero();
      assertThat(rauc.installations()).isEqualTo(1);
      assertThat(f.stored("rauc-1").installedVersion().orElseThrow().value()).isEqualTo(version);
      // Nothing more is asked of it once it is in sync.
      JsonNode poll = f.get(DdiFixture.ddi("rauc-1"), DdiFixture.target(token)).json();
      assertThat(poll.path("_links").has("deploymentBase")).isFalse();
      assertThat(poll.path("_links").has("configData")).isFalse();
    }
  }

  @Test
  void underTheDdiSuccessPolicyItsOneClosedSuccessSucceedsWithOneInstall() throws Exception {
    Path work = Files.createDirectories(dir.resolve("ds"));
    try (RaucSystem rauc = RaucSystem.start(work.resolve("rauc"), "sluice-rauc-test")) {
      String version = nextVersion();
      byte[] bundle = rauc.bundle(version, Pipeline.generated("rootfs-" + version, 200 * 1024));
      String release = f.published(version, Map.of("update.raucb", bundle));
      String token = f.device("rauc-2");
      long id = f.assign("rauc-2", release, "soft", "ddi-success").get("id").asLong();
      RaucHawkbitDriver updater =
          new RaucHawkbitDriver(f.http.base(), "rauc-2", token, rauc, work, "0.9.0");
      for (int poll = 0; poll < 6; poll++) {
        updater.pollOnce();
      }
      assertThat(f.status(id, "rauc-2"))
          .as(String.join("\n", updater.log()))
          .isEqualTo("succeeded");
      assertThat(updater.installs()).isEqualTo(1);
      assertThat(rauc.installations()).as(rauc.log()).isEqualTo(1);
    }
  }
}
