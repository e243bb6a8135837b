package dev.sluice.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Cli;
import dev.sluice.server.testing.Tuf;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tlog.Ed25519NoteVerifier;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.model.Root;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice agent} as an owner types it: init, status, approve, confirm and bad input. */
class AgentCliTest {
  @TempDir Path temp;

  private Path rootFile() throws Exception {
    List<SigningKey> keys = Tuf.rootKeys(3);
    VerificationKey online = SigningKey.generate(KeyScheme.ED25519).verificationKey();
    Root root =
        Tuf.root(1, keys, 2, Map.of("targets", online, "snapshot", online, "timestamp", online));
    return Files.write(
        temp.resolve("root.json"), RepositoryBuilder.signRoot(root, keys.subList(0, 2)).toBytes());
  }

  private static String logKey() {
    byte[] key = SigningKey.generate(KeyScheme.ED25519).verificationKey().publicKeyBytes();
    return Ed25519NoteVerifier.create("updates.example/log", key).vkey();
  }

  private Cli.Result init(Path state, String... extra) throws Exception {
    Files.writeString(temp.resolve("token"), "device-secret-token\n");
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "agent",
                "init",
                "--server",
                "http://127.0.0.1:" + freePort(),
                "--root",
                rootFile().toString(),
                "--log-key",
                logKey(),
                "--controller-id",
                "dev-0042",
                "--token",
                "@" + temp.resolve("token"),
                "--state",
                state.toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void initWritesTheStateAndStatusShowsTheFactorySlot() throws Exception {
    Path state = temp.resolve("state");
    Cli.Result created = init(state, "--policy", "defer:7", "--health-cmd", "true");

    assertThat(created.code()).as(created.toString()).isZero();
    assertThat(state.resolve("token")).hasContent("device-secret-token");
    assertThat(Files.readString(state.resolve("config.json"))).contains("\"policy\":\"defer:7\"");
    Cli.Result status = Cli.run("agent", "status", "--state", state.toString());
    assertThat(status.code()).as(status.toString()).isZero();
    assertThat(status.out()).contains("running slot: a").contains("slot b: (factory or empty)");
  }

  @Test
  void badInputIsAUsageErrorNamingTheOption() throws Exception {
    Cli.Result policy = init(temp.resolve("s1"), "--policy", "sometimes");
    assertThat(policy.code()).isEqualTo(2);
    assertThat(policy.err()).contains("auto, ask or defer:N");

    Cli.Result tries = init(temp.resolve("s2"), "--max-boot-tries", "0");
    assertThat(tries.code()).isEqualTo(2);
    assertThat(tries.err()).contains("--max-boot-tries");

    Cli.Result key =
        Cli.run(
            "agent",
            "init",
            "--server",
            "http://127.0.0.1:1",
            "--root",
            rootFile().toString(),
            "--log-key",
            "not-a-key",
            "--controller-id",
            "d",
            "--token",
            "t",
            "--state",
            temp.resolve("s3").toString());
    assertThat(key.code()).isEqualTo(1);
    assertThat(key.err()).contains("--log-key");
    assertThat(temp.resolve("s1")).doesNotExist();
    assertThat(temp.resolve("s3")).doesNotExist();

    Cli.Result approve = Cli.run("agent", "approve", "v1", "--state", temp.toString());
    assertThat(approve.code()).isEqualTo(2);
  }

  @Test
  void initTwiceAndConfirmWithNothingPendingAreRefused() throws Exception {
    Path state = temp.resolve("state");
    assertThat(init(state).code()).isZero();

    Cli.Result again = init(state);
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("already exists");
    Cli.Result confirm = Cli.run("agent", "confirm", "--state", state.toString());
    assertThat(confirm.code()).isEqualTo(1);
    assertThat(confirm.err()).contains("no freshly booted slot");
  }

  @Test
  void runWithNoServerAnsweringSaysSoAndExitsOne() throws Exception {
    Path state = temp.resolve("state");
    assertThat(init(state).code()).isZero();

    Cli.Result run = Cli.run("agent", "run", "--once", "--state", state.toString());

    assertThat(run.code()).as(run.toString()).isEqualTo(1);
    assertThat(run.out()).contains("will retry");
    assertThat(Files.readString(state.resolve("agent.log"))).contains("server:");
  }
}
