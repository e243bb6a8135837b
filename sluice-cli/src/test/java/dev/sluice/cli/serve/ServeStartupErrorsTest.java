package dev.sluice.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Cli;
import dev.sluice.store.db.Database;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice serve} refuses to start with one line that says what to do, and touches nothing.
 */
class ServeStartupErrorsTest {
  @TempDir Path dir;

  @Test
  void aPoolSizeOutOfRangeIsAUsageErrorAndNothingIsCreated() {
    Path data = dir.resolve("data");
    Cli.Result result = Cli.run("serve", "--data", data.toString(), "--db-pool-size", "0");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("1 to 200 connections").doesNotContain("\tat ");
    assertThat(Files.exists(data)).as("no data directory made").isFalse();
  }

  @Test
  void aBusyPortIsNamedWithoutAStackTraceAndNothingIsCreated() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path data = dir.resolve("data");
      Cli.Result result =
          Cli.run(
              "serve",
              "--data",
              data.toString(),
              "--host",
              "127.0.0.1",
              "--port",
              Integer.toString(taken.getLocalPort()));

      assertThat(result.code()).isEqualTo(1);
      assertThat(result.err())
          .contains("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use")
          .contains("--port")
          .doesNotContain("\tat ")
          .doesNotContain("Exception");
      assertThat(Files.exists(data)).as("no data directory made").isFalse();
    }
  }

  @Test
  void aDatabaseANewerSluiceMigratedIsRefusedInOneLineAndLeftAsItWas() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    String url = "jdbc:sqlite:" + data.resolve("sluice.db");
    try (Database db = Database.open(url)) {
      // What a newer Sluice's next migration leaves in the history.
      db.jdbi()
          .useHandle(
              h ->
                  h.execute(
                      "INSERT INTO flyway_schema_history (installed_rank, version, description,"
                          + " type, script, checksum, installed_by, installed_on, execution_time,"
                          + " success) SELECT max(installed_rank) + 1, CAST(max(CAST(version AS"
                          + " INTEGER)) + 1 AS TEXT), 'from a newer Sluice', 'SQL', 'V__newer.sql',"
                          + " 0, '', max(installed_on), 1, 1 FROM flyway_schema_history"));
    }
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }

    Cli.Result result =
        Cli.run(
            "serve",
            "--data",
            data.toString(),
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port));

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .contains("the server cannot start")
        .contains("newer than this Sluice knows")
        .contains("restore the backup")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
    assertThat(Files.exists(data.resolve("admin.token"))).as("nothing written").isFalse();
  }
}
