package dev.sluice.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.server.testing.Http;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice serve} stopped by SIGTERM closes cleanly and exits 0 (issue 10, item 11), and one
 * that cannot start exits 1 (scripts and service managers see the failure); the draining of
 * requests in flight is tested in process by {@code SlowClientHttpTest}.
 */
class ServeShutdownIT {
  private static final Path JAR = Path.of("target", "sluice.jar");

  @TempDir Path temp;

  @Test
  void sigtermStopsTheServerCleanlyWithExitStatusZero() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path log = temp.resolve("server.log");
    Process server = serve(log, "--port", Integer.toString(port), "--shutdown-grace", "5s");
    try {
      Http http = new Http(URI.create("http://127.0.0.1:" + port));
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .failFast("the server exited; see " + log, () -> !server.isAlive())
          .until(() -> http.get("/api/v1/health", null).status() == 200);
      server.destroy();
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(server.exitValue()).as(Files.readString(log)).isZero();
      assertThat(Files.readString(log)).contains("stopping...");
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void aServerThatCannotStartExitsWithANonZeroStatus() throws Exception {
    Path log = temp.resolve("refused.log");
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Process server = serve(log, "--port", Integer.toString(taken.getLocalPort()));
      try {
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).as(Files.readString(log)).isEqualTo(1);
        assertThat(Files.readString(log)).contains("is already in use");
      } finally {
        server.destroyForcibly();
      }
    }
  }

  /** {@code sluice serve --data DIR ARGS} in a JVM of its own, its output in {@code log}. */
  private Process serve(Path log, String... args) throws java.io.IOException {
    java.util.List<String> command =
        new java.util.ArrayList<>(
            java.util.List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                JAR.toString(),
                "serve",
                "--data",
                temp.resolve("data").toString()));
    command.addAll(java.util.List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
