package dev.sluice.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.Cli;
import dev.sluice.cli.client.Rollout;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path temp;

  @Test
  @Timeout(
      value = 300,
      unit = TimeUnit.SECONDS) // two rollouts to 1,000 devices on a shared machine
  void demoBlocksACertifiesAndRollsOutToAThousandPhonesThenHaltsABadRelease() throws Exception {
    Path data = temp.resolve("demo");
    Cli.Result result = Cli.run("demo", "--data", data.toString(), "--port", "0", "--exit");
    assertThat(result.code()).as(result.toString()).isZero();
    String out = result.out();
    assertThat(out)
        .contains("sluice keys generate --out keys/lab-a.key")
        .contains("sluice product create --name acme-phone")
        .contains("sluice release check")
        .contains("network-endpoints-declared")
        .contains("(exit code 3)")
        .contains("BLOCKED")
        .contains("SLUICE_TOKEN=$LAB_A_TOKEN sluice certify")
        .contains("certified")
        .contains("release.certified")
        .contains("sluice tuf root init --threshold 2")
        .contains("installed root version 1")
        .contains("published rel_")
        .contains("only a CERTIFIED release can be published")
        // The product's policy record and the release record.
        .contains("OK: log sluice.local/log at size 2")
        .contains("release.published")
        .contains("/tuf/1.root.json")
        .contains("sluice device register --file fleet.csv --tokens-out fleet-tokens.csv")
        .contains("registered 1000 devices")
        .contains("sluice rollout create --release")
        .contains("--stages 1,10,50,100")
        .contains("FINISHED, stage 4 of 4")
        .contains("HALTED, stage 1 of 4")
        .contains("rollout.halted")
        .containsPattern(
            "FINISHED stage by stage; rollout ro_\\w+ of the bad release rel_\\w+"
                + " HALTED itself in its first stage");
    // The chain, checked with public data: by an outsider, and by a real agent before it installs.
    assertThat(out)
        .contains("[journalist] $ sluice verify")
        .contains("✓ certifier sign-offs")
        .contains("sluice agent init")
        .contains("✓ certification: ")
        .contains("endorsed back to the product's first policy")
        .contains("slot b will be confirmed")
        .containsPattern("status +in_sync")
        .contains("release revoked: bricks devices with old bootloaders")
        .containsPattern("the revoked rel_\\w+ was withdrawn from it")
        .containsPattern("The agent on agent-phone-1 verified every link of rel_\\w+")
        .contains("./sluice verify --server");
    // The operator's self-endorsed key for lab-a is refused and changes nothing.
    assertThat(out)
        .containsPattern("sluice certifier add-key lab-a[^\\n]*\\n(   .*\\n)*   \\(exit code 1\\)");
    assertRollouts(data);
    // Tokens are shown as variable names, never printed.
    assertThat(out).doesNotContainPattern("sluice_[A-Za-z0-9_-]{43}");
    assertThat(out).contains("against standards acme-phone v1");
    assertThat(out.indexOf("(exit code 3)")).isLessThan(out.indexOf("SLUICE_TOKEN=$LAB_B_TOKEN"));
    assertThat(Files.getPosixFilePermissions(data.resolve("keys/lab-a.key")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(data.resolve("sluice.db")).exists();
  }

  /**
   * What the server recorded, read back through its API after the demo: the certified release went
   * to all 1,000 phones in 4 stages; the bad one halted in stage 1 and was never offered further.
   */
  private static void assertRollouts(Path data) throws Exception {
    try (SluiceServer server = SluiceServer.start(ServerConfig.builder(data).port(0).build());
        SluiceClient client =
            new SluiceClient(
                server.baseUri(),
                Optional.of(Files.readString(data.resolve("admin.token")).strip()))) {
      List<Rollout> rollouts = client.rollouts(Optional.empty(), Optional.empty(), 100).items();
      assertThat(rollouts)
          .extracting(Rollout::state)
          .containsExactlyInAnyOrder("finished", "halted");
      Rollout finished = client.rollout(byState(rollouts, "finished").id());
      assertThat(finished.currentStage()).isEqualTo(4);
      assertThat(finished.stageCount()).isEqualTo(4);
      List<JsonNode> stages = stages(finished);
      assertThat(stages).extracting(s -> s.path("percent").asInt()).containsExactly(1, 10, 50, 100);
      assertThat(stages)
          .extracting(s -> s.path("assigned").asInt())
          .containsExactly(10, 90, 400, 500);
      assertThat(stages)
          .allSatisfy(
              s -> assertThat(s.path("succeeded").asInt()).isEqualTo(s.path("assigned").asInt()));
      assertThat(stages).allSatisfy(s -> assertThat(s.path("failed").asInt()).isZero());
      assertThat(finished.json().path("halt").isNull()).isTrue();

      Rollout halted = client.rollout(byState(rollouts, "halted").id());
      assertThat(halted.release()).isNotEqualTo(finished.release());
      assertThat(halted.currentStage()).isEqualTo(1);
      JsonNode halt = halted.json().path("halt");
      assertThat(halt.path("stage").asInt()).isEqualTo(1);
      assertThat(halt.path("kind").asText()).isIn("error-threshold", "sequential-test");
      assertThat(halt.path("message").asText()).startsWith("stage 1 of 4:");
      assertThat(halt.path("by").asText()).isEqualTo("system");
      assertThat(halt.path("counters").path("failed").asInt()).isPositive();
      List<JsonNode> haltedStages = stages(halted);
      assertThat(haltedStages.get(0).path("assigned").asInt()).isEqualTo(10);
      assertThat(haltedStages.get(0).path("failed").asInt()).isPositive();
      assertThat(haltedStages.subList(1, 4))
          .as("later stages were never offered")
          .allSatisfy(s -> assertThat(s.path("assigned").asInt()).isZero());
    }
  }

  private static Rollout byState(List<Rollout> rollouts, String state) {
    return rollouts.stream().filter(r -> r.state().equals(state)).findFirst().orElseThrow();
  }

  private static List<JsonNode> stages(Rollout rollout) {
    List<JsonNode> stages = new ArrayList<>();
    rollout.json().path("stages").forEach(stages::add);
    return stages;
  }

  @Test
  void demoRefusesADataDirectoryThatIsNotEmpty() throws Exception {
    Path data = Files.createDirectories(temp.resolve("used"));
    Files.writeString(data.resolve("something"), "x");
    Cli.Result result = Cli.run("demo", "--data", data.toString(), "--port", "0", "--exit");
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("not empty");
  }

  @Test
  void theDefaultDataDirectoryStaysOutOfTheSourceTreeUnlessAsked() throws Exception {
    // Issue 10, item 13: never the admin token and private keys next to the code by default.
    Path tree = Files.createDirectories(temp.resolve("checkout"));
    Files.createDirectories(tree.resolve(".git"));
    Files.writeString(tree.resolve("sluice"), "#!/bin/sh\n");
    Path cwd = Files.createDirectories(tree.resolve("sluice-cli"));
    Path xdg = temp.resolve("xdg");

    assertThat(
            DemoCommand.defaultDirectory(
                cwd, Map.of("XDG_DATA_HOME", xdg.toString()), "/home/x", "stamp", false))
        .isEqualTo(xdg.resolve("sluice/demo/stamp"));
    assertThat(DemoCommand.defaultDirectory(cwd, Map.of(), "/home/x", "stamp", false))
        .isEqualTo(Path.of("/home/x/.local/share/sluice/demo/stamp"));
    assertThat(DemoCommand.defaultDirectory(cwd, Map.of(), "/home/x", "stamp", true))
        .as("--allow-in-tree keeps ./sluice-demo")
        .isEqualTo(cwd.resolve("sluice-demo/stamp"));
    Path outside = Files.createDirectories(temp.resolve("elsewhere"));
    assertThat(DemoCommand.defaultDirectory(outside, Map.of(), "/home/x", "stamp", false))
        .isEqualTo(outside.resolve("sluice-demo/stamp"));
  }

  @Test
  void aSourceTreeIsAGitWorkTreeWithTheLauncher() throws Exception {
    Path tree = Files.createDirectories(temp.resolve("tree"));
    Path inside = tree.resolve("module/sluice-demo/x");
    assertThat(DemoCommand.sourceTreeOf(inside)).isEmpty();
    Files.writeString(tree.resolve(".git"), "gitdir: /elsewhere\n");
    assertThat(DemoCommand.sourceTreeOf(inside)).isEmpty();
    Files.writeString(tree.resolve("sluice"), "#!/bin/sh\n");
    assertThat(DemoCommand.sourceTreeOf(inside)).contains(tree);
  }
}
