package dev.sluice.cli.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Cli;
import dev.sluice.core.tlog.LogTicket;
import dev.sluice.core.tlog.TransparencyLog;
import dev.sluice.server.LogKeys;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.trust.tlog.NoteSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice log verify} as an auditor runs it, against real servers: it passes on an honest log
 * and fails on a modified entry, a forked log and a checkpoint signed by another key.
 */
class LogVerifyCommandTest {
  @TempDir Path dir;
  private final List<SluiceServer> servers = new ArrayList<>();
  private SluiceServer server;
  private String vkey;
  private Path state;

  @BeforeEach
  void startAnHonestLog() {
    server = start(dir.resolve("a"));
    vkey = server.transparencyLog().verifier().vkey();
    state = dir.resolve("auditor/state.json");
    append(server, "a", 300);
  }

  @AfterEach
  void stopServers() {
    servers.forEach(SluiceServer::close);
  }

  private SluiceServer start(Path dataDir) {
    SluiceServer started = SluiceServer.start(ServerConfig.builder(dataDir).port(0).build());
    servers.add(started);
    return started;
  }

  private static void append(SluiceServer target, String prefix, int count) {
    TransparencyLog log = target.transparencyLog();
    List<LogTicket> tickets =
        log.appendAll(
            IntStream.range(0, count)
                .mapToObj(i -> (prefix + "-" + i).getBytes(StandardCharsets.UTF_8))
                .toList());
    assertThat(log.awaitIntegrated(tickets.getLast(), Duration.ofSeconds(30))).isPresent();
  }

  private Cli.Result verify(SluiceServer target, String key) {
    return Cli.run(
        "log",
        "verify",
        "--server",
        target.baseUri().toString(),
        "--key",
        key,
        "--state",
        state.toString());
  }

  @Test
  void anHonestLogVerifiesAndItsStateIsSavedThenCheckedForConsistency() throws IOException {
    Cli.Result first = verify(server, vkey);

    assertThat(first.code()).as(first.toString()).isZero();
    assertThat(first.out()).contains("OK: log sluice.local/log at size 300");
    assertThat(Files.readString(state)).contains("\"tree_size\" : 300");

    append(server, "b", 100);
    Cli.Result second = verify(server, vkey);

    assertThat(second.code()).as(second.toString()).isZero();
    assertThat(second.out())
        .contains("at size 400")
        .contains("consistent with the saved checkpoint of size 300");
  }

  @Test
  void logKeyPrintsTheSameVerifierKeyFromTheDataDirectoryAndFromTheServer() {
    Cli.Result fromData = Cli.run("log", "key", "--data", dir.resolve("a").toString());
    Cli.Result fromServer = Cli.run("log", "key", "--server", server.baseUri().toString());

    assertThat(fromData.code()).as(fromData.toString()).isZero();
    assertThat(fromData.out().strip()).isEqualTo(vkey);
    assertThat(fromServer.out().strip()).isEqualTo(vkey);
    assertThat(vkey).startsWith("sluice.local/log+");
  }

  @Test
  void aModifiedEntryFailsVerificationAndLeavesTheStateUntouched() throws Exception {
    assertThat(verify(server, vkey).code()).isZero();
    byte[] before = Files.readAllBytes(state);
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a/sluice.db"));
        Statement sql = db.createStatement();
        PreparedStatement tamper =
            db.prepareStatement("UPDATE log_entries SET entry = ? WHERE idx = 42")) {
      sql.execute("DROP TRIGGER log_entries_no_update"); // an attacker with database access
      tamper.setBytes(1, "a-42 (altered)".getBytes(StandardCharsets.UTF_8));
      assertThat(tamper.executeUpdate()).isEqualTo(1);
    }

    Cli.Result result = verify(server, vkey);

    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.err())
        .contains("log verification FAILED")
        .contains("tile/entries/000")
        .contains("entry 42 does not match its leaf");
    assertThat(Files.readAllBytes(state)).isEqualTo(before);
  }

  @Test
  void aForkedLogSignedWithTheSameKeyFailsAgainstTheSavedCheckpoint() throws Exception {
    assertThat(verify(server, vkey).code()).isZero();
    byte[] before = Files.readAllBytes(state);
    Path forkData = dir.resolve("fork");
    copyLogKey(dir.resolve("a"), forkData);
    SluiceServer fork = start(forkData);
    append(fork, "other", 350);

    Cli.Result alone =
        Cli.run("log", "verify", "--server", fork.baseUri().toString(), "--key", vkey);
    Cli.Result result = verify(fork, vkey);

    assertThat(alone.code()).as("the fork is well-formed on its own: " + alone).isZero();
    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.err()).contains("FORK").contains("size 300");
    assertThat(Files.readAllBytes(state)).isEqualTo(before);
  }

  @Test
  void aLogThatShrankFailsAgainstTheSavedCheckpoint() throws Exception {
    append(server, "b", 50);
    assertThat(verify(server, vkey).code()).isZero();
    Path forkData = dir.resolve("smaller");
    copyLogKey(dir.resolve("a"), forkData);
    SluiceServer smaller = start(forkData);
    append(smaller, "a", 300);

    Cli.Result result = verify(smaller, vkey);

    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.err()).contains("the log shrank").contains("size 350");
  }

  @Test
  void aCheckpointSignedByAnotherKeyFails() {
    String impostor = NoteSigner.generate("sluice.local/log").verifier().vkey();

    Cli.Result result = verify(server, impostor);

    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.err()).contains("is not validly signed by sluice.local/log+");
    assertThat(state).doesNotExist();
  }

  @Test
  void aMalformedKeyIsAUsageError() {
    Cli.Result result = verify(server, "not-a-vkey");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("--key");
  }

  /**
   * Gives a new data directory the log key (and generated passphrase) of {@code from}: the sealed
   * key out of its database, as a key file of an older data directory, which the new server
   * imports.
   */
  private static void copyLogKey(Path from, Path to) throws Exception {
    Files.createDirectories(to.resolve("keys"));
    Files.copy(
        LogKeys.generatedPassphraseFile(from),
        LogKeys.generatedPassphraseFile(to),
        StandardCopyOption.COPY_ATTRIBUTES);
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + from.resolve("sluice.db"));
        Statement sql = db.createStatement();
        java.sql.ResultSet row =
            sql.executeQuery("SELECT sealed FROM sealed_keys WHERE name = 'log'")) {
      assertThat(row.next()).isTrue();
      Files.writeString(LogKeys.keyFile(to), row.getString(1));
    }
  }
}
