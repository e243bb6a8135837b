package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.testing.RunningServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory is private (issue 10, item 16): the directory and its key directory 0700, the
 * SQLite database and its WAL and SHM files, the admin token and the keys 0600.
 */
class DataDirectoryModesTest {
  @TempDir Path parent;

  @Test
  void aNewDataDirectoryIsPrivate() throws Exception {
    Path dataDir = parent.resolve("data");
    try (RunningServer running = new RunningServer(dataDir)) {
      // A write, so that the WAL and SHM files exist.
      running.pipeline.certifiers(1);
      assertThat(running.pipeline.createProduct("acme-phone", 1, 1 << 20).status()).isEqualTo(201);
      assertPrivate(dataDir);
    }
  }

  @Test
  void aDataDirectoryLeftWideByAnEarlierVersionIsTightenedOnStart() throws Exception {
    Path dataDir = parent.resolve("data");
    try (RunningServer running = new RunningServer(dataDir)) {
      running.pipeline.certifiers(1);
    }
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        dataDir.resolve("sluice.db"), PosixFilePermissions.fromString("rw-r--r--"));
    // A later start (no new admin token) on the data directory tightens it.
    try (SluiceServer server = SluiceServer.start(ServerConfig.builder(dataDir).port(0).build())) {
      assertThat(server.bootstrapAdminToken()).isEmpty();
      assertPrivate(dataDir);
    }
  }

  private static void assertPrivate(Path dataDir) throws Exception {
    assertThat(mode(dataDir)).isEqualTo("rwx------");
    assertThat(mode(dataDir.resolve("keys"))).isEqualTo("rwx------");
    for (String name : new String[] {"sluice.db", "sluice.db-wal", "sluice.db-shm"}) {
      assertThat(dataDir.resolve(name)).exists();
      assertThat(mode(dataDir.resolve(name))).as(name).isEqualTo("rw-------");
    }
    assertThat(mode(dataDir.resolve("admin.token"))).isIn("rw-------", "r--------");
    try (Stream<Path> keys = Files.list(dataDir.resolve("keys"))) {
      for (Path key : keys.toList()) {
        assertThat(mode(key)).as(key.toString()).isIn("rw-------", "r--------");
      }
    }
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
