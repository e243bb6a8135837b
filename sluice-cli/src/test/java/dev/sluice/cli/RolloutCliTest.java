package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.command.ExitCodes;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.SimulatedDevice;
import dev.sluice.server.testing.Tuf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice rollout} against a real server whose devices speak DDI. */
class RolloutCliTest {
  @TempDir Path dir;
  RunningServer running;
  String url;
  String operator;
  String release;
  List<SimulatedDevice> fleet = new ArrayList<>();

  @BeforeEach
  void serverWithAPublishedReleaseAndDevices() {
    running = new RunningServer(dir.resolve("data"));
    Pipeline p = running.pipeline.certifiers(2);
    assertThat(p.createProduct("acme-phone", 2, 1 << 20).status()).isEqualTo(201);
    Tuf.init(p, Tuf.rootKeys(3));
    release = Tuf.certified(p, "acme-phone", "1.0.0", Pipeline.artifacts("cli"));
    assertThat(Tuf.publish(p, release).status()).isEqualTo(200);
    url = running.server.baseUri().toString();
    operator = p.token("operator", "ops", null);
    for (int i = 0; i < 10; i++) {
      Cli.Result r =
          ok(api("device", "register", "eu-" + i, "--product", "acme-phone", "--tag", "eu"));
      fleet.add(
          new SimulatedDevice(new Http(running.server.baseUri()), "eu-" + i, r.out().strip()));
    }
  }

  @AfterEach
  void stop() {
    running.close();
  }

  @Test
  void createStartShowAndAHaltWithItsReason() {
    String id =
        ok(api(
                "rollout",
                "create",
                "--release",
                release,
                "--filter",
                "tag==eu",
                "--stages",
                "20,100",
                "--error-threshold",
                "50",
                "--accept-ddi-success",
                "--timeout",
                "2h",
                "--retries",
                "1",
                "--window",
                "* * * * *;2h;Europe/Berlin"))
            .out()
            .strip();
    assertThat(id).startsWith("ro_");
    assertThat(ok(api("rollout", "start", id)).out()).contains("RUNNING");
    running.server.rollouts().runOnce();

    String shown = ok(api("rollout", "show", id)).out();
    assertThat(shown)
        .contains("RUNNING, stage 1 of 2", "tag==eu", "* * * * * for 2h (Europe/Berlin)")
        .containsPattern("▶ 1 +20% +95% +50% +none +2 +2 +0 +0 +0");
    List<SimulatedDevice> stage1 =
        fleet.stream().filter(d -> d.offeredAction().isPresent()).toList();
    stage1.forEach(d -> d.install("failure"));
    running.server.rollouts().runOnce();
    // --retries 1: each device gets a second attempt, which fails too.
    assertThat(ok(api("rollout", "show", id)).out()).contains("RUNNING");
    stage1.forEach(d -> d.install("failure"));
    running.server.rollouts().runOnce();

    String halted = ok(api("rollout", "show", id)).out();
    assertThat(halted)
        .contains("HALTED (error-threshold)", "2 of 2 devices failed (100.0%)")
        .containsPattern("▶ 1 +20% .* +2 +0 +0 +2 +0");
    assertThat(ok(api("rollout", "list", "--state", "halted")).out()).contains(id, "HALTED");
    Cli.Result refused = Cli.run(api("rollout", "resume", id));
    assertThat(refused.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(refused.err()).contains("409", "it cannot resume");
  }

  @Test
  void pauseResumeAndCancel() {
    String id =
        ok(api("rollout", "create", "--release", release, "--stages", "50,100", "--gate", "manual"))
            .out()
            .strip();
    ok(api("rollout", "start", id));
    assertThat(ok(api("rollout", "pause", id)).out()).contains("PAUSED");
    assertThat(ok(api("rollout", "resume", id)).out()).contains("RUNNING");
    assertThat(ok(api("rollout", "cancel", id, "--reason", "wrong fleet")).out())
        .contains("CANCELED");
    assertThat(ok(api("rollout", "show", id)).out()).contains("canceled (canceled)", "wrong fleet");
  }

  @Test
  void waitReturnsWhenTheRolloutIsOverAndSaysHowItEnded() {
    String id =
        ok(api(
                "rollout",
                "create",
                "--release",
                release,
                "--stages",
                "100",
                "--accept-ddi-success"))
            .out()
            .strip();
    ok(api("rollout", "start", id));
    running.server.rollouts().runOnce();

    Cli.Result stillRunning =
        Cli.run(api("rollout", "wait", id, "--timeout", "1s", "--every", "200ms"));
    assertThat(stillRunning.code()).as(stillRunning.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(stillRunning.err()).contains("RUNNING", "after 1s", "sluice rollout wait " + id);

    fleet.stream().filter(d -> d.offeredAction().isPresent()).forEach(d -> d.install("success"));
    running.server.rollouts().runOnce();
    Cli.Result finished = ok(api("rollout", "wait", id, "--every", "200ms"));
    assertThat(finished.out()).contains(id, "FINISHED");
    assertThat(finished.err()).as("no bar when standard error is not a terminal").isEmpty();

    String canceled =
        ok(api("rollout", "create", "--release", release, "--stages", "100")).out().strip();
    ok(api("rollout", "cancel", canceled));
    Cli.Result over = Cli.run(api("rollout", "wait", canceled));
    assertThat(over.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(over.out()).contains("CANCELED");
    assertThat(over.err()).contains("sluice rollout show " + canceled);
  }

  @Test
  void badInputIsAUsageErrorOrAClearRefusal() {
    Cli.Result both =
        Cli.run(
            api("rollout", "create", "--release", release, "--stages", "100", "--groups", "a==b"));
    assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("--stages", "--groups");
    Cli.Result stages =
        Cli.run(api("rollout", "create", "--release", release, "--stages", "50,10"));
    assertThat(stages.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(stages.err()).contains("400", "strictly increasing");
    Cli.Result window =
        Cli.run(
            api("rollout", "create", "--release", release, "--stages", "100", "--window", "0 2"));
    assertThat(window.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(window.err()).contains("CRON;DURATION;ZONE");
  }

  private String[] api(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--server", url, "--token", operator));
    return all.toArray(String[]::new);
  }

  private static Cli.Result ok(String... args) {
    Cli.Result result = Cli.run(args);
    assertThat(result.code()).as(result.toString()).isZero();
    return result;
  }
}
