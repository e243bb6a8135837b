package dev.sluice.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Cli;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.trust.hash.Sha256;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice backup} taken while the server runs restores to a server that serves everything the
 * backup holds (issue 10, item 12); {@code sluice fsck} exits 1 on a corrupted blob and 0 on a
 * clean data directory (item 9).
 */
class DataCommandsTest {
  @TempDir Path dir;

  @Test
  void aBackupTakenWhileServingRestoresToAWorkingServer() throws Exception {
    Path data = dir.resolve("data");
    Path backup = dir.resolve("backup");
    Map<String, byte[]> files = Pipeline.artifacts("backup");
    String adminToken;
    String releaseId;
    try (RunningServer running = new RunningServer(data)) {
      Pipeline p = running.pipeline.certifiers(1);
      adminToken = p.adminToken;
      assertThat(p.createProduct("acme-phone", 1, 1 << 20).status()).isEqualTo(201);
      releaseId =
          p.draft("acme-phone", "1.0.0", Pipeline.manifest("acme-phone", "1.0.0", files), files);
      assertThat(p.check(releaseId).status()).isEqualTo(200);

      Cli.Result backedUp =
          Cli.run("backup", "--data", data.toString(), "--out", backup.toString());
      assertThat(backedUp.code()).as(backedUp.toString()).isZero();
      assertThat(backedUp.out()).contains("2 blob(s)");
      // Written after the backup: not in it.
      assertThat(p.createProduct("acme-tv", 1, 1 << 20).status()).isEqualTo(201);
    }
    assertThat(mode(backup)).isEqualTo("rwx------");
    assertThat(mode(backup.resolve("sluice.db"))).isEqualTo("rw-------");

    Cli.Result fsck = Cli.run("fsck", "--data", backup.toString());
    assertThat(fsck.code()).as(fsck.toString()).isZero();
    assertThat(fsck.out()).contains("2 blob(s) verified: no problems");

    // Restoring is starting a server on the backup.
    try (SluiceServer restored = SluiceServer.start(ServerConfig.builder(backup).port(0).build())) {
      Http http = new Http(restored.baseUri());
      Http.Response release = http.get("/api/v1/releases/" + releaseId, adminToken);
      assertThat(release.status()).as(release.text()).isEqualTo(200);
      assertThat(release.json().get("state").asText()).isEqualTo("checked");
      Http.Response artifact =
          http.get("/api/v1/releases/" + releaseId + "/artifacts/system.img", adminToken);
      assertThat(artifact.body()).isEqualTo(files.get("system.img"));
      assertThat(http.get("/api/v1/products/acme-tv", adminToken).status()).isEqualTo(404);
    }
  }

  @Test
  void fsckExitsNonZeroOnACorruptedBlob() throws Exception {
    Path data = dir.resolve("data");
    Map<String, byte[]> files = Pipeline.artifacts("fsck");
    try (RunningServer running = new RunningServer(data)) {
      Pipeline p = running.pipeline.certifiers(1);
      assertThat(p.createProduct("acme-phone", 1, 1 << 20).status()).isEqualTo(201);
      p.draft("acme-phone", "1.0.0", Pipeline.manifest("acme-phone", "1.0.0", files), files);
    }
    String hex = Sha256.of(files.get("boot.img")).hex();
    Path blob = data.resolve("blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex);
    Files.setPosixFilePermissions(blob, PosixFilePermissions.fromString("rw-------"));
    try (RandomAccessFile raf = new RandomAccessFile(blob.toFile(), "rw")) {
      raf.seek(100);
      raf.write(0x5a ^ raf.read());
    }
    Cli.Result fsck = Cli.run("fsck", "--data", data.toString());
    assertThat(fsck.code()).as(fsck.toString()).isEqualTo(1);
    assertThat(fsck.out()).contains("CORRUPTED     blob " + hex).contains("1 corrupted");
  }

  @Test
  void fsckOfAMissingDataDirectoryFailsClearly() {
    Cli.Result fsck = Cli.run("fsck", "--data", dir.resolve("nothing").toString());
    assertThat(fsck.code()).isEqualTo(ExitCodes.NO_SUCH_FILE);
    assertThat(fsck.err()).contains("no such file or directory: " + dir.resolve("nothing"));
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
