package dev.sluice.cli.demo;

import dev.sluice.cli.CommandFailedException;
import dev.sluice.server.rollout.RolloutScheduler;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's second part: a fleet operator rolls the published release out. To the EU phones it
 * goes stage by stage, each phone confirming it runs the new version after reboot; to the US phones
 * (another hardware revision, whose installer fails) the rollout halts itself in its first stage
 * after four reports, by the sequential test, and cancels the rest.
 */
final class RolloutChapter {
  static final int EU = 12;
  static final int US = 60;

  private final DemoSession sh;
  private final Path dir;
  private final RolloutScheduler evaluator;
  private final DemoSession.Actor admin;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, DemoDevice> devices = new TreeMap<>();
  private DemoSession.Actor operator;

  /** What the chapter produced, for the closing summary. */
  record Outcome(String finishedRollout, String haltedRollout) {}

  RolloutChapter(DemoSession session, Path dir, RolloutScheduler evaluator, String adminToken) {
    this.sh = session;
    this.dir = dir;
    this.evaluator = evaluator;
    this.admin = new DemoSession.Actor("admin", "ADMIN_TOKEN", adminToken);
  }

  Outcome run(String release, String version) throws IOException {
    sh.narrate("The admin gives a fleet operator a token.");
    String token =
        expect(sh.api(admin, "token", "create", "--role", "operator", "--label", "fleet-ops"), 0)
            .firstLine();
    operator = new DemoSession.Actor("operator", "OPERATOR_TOKEN", token);

    sh.narrate(
        "The operator registers "
            + (EU + US)
            + " phones: "
            + EU
            + " in the EU and "
            + US
            + " of hardware revision 2 in the US. Each gets a secret target token for the DDI"
            + " device API; the tokens go to a file only the operator can read.");
    Path csv = dir.resolve("fleet.csv");
    StringBuilder rows = new StringBuilder("controller_id,product,tags\n");
    for (int i = 1; i <= EU; i++) {
      rows.append(String.format("eu-phone-%02d,%s,eu\n", i, DemoStory.PRODUCT));
    }
    for (int i = 1; i <= US; i++) {
      rows.append(String.format("us-phone-%02d,%s,us;hw-rev-2\n", i, DemoStory.PRODUCT));
    }
    Files.writeString(csv, rows.toString(), StandardCharsets.UTF_8);
    Path tokens = dir.resolve("fleet-tokens.csv");
    expect(
        sh.api(
            operator,
            "device",
            "register",
            "--file",
            csv.toString(),
            "--tokens-out",
            tokens.toString()),
        0);
    for (String line : Files.readAllLines(tokens).subList(1, EU + US + 1)) {
      String[] cells = line.split(",");
      devices.put(cells[0], new DemoDevice(http, sh.server(), cells[0], cells[1]));
    }

    sh.narrate(
        "Rollout to the EU phones in three stages (25%, 50%, 100% of them), each needing 100%"
            + " success; success means the phone runs "
            + version
            + " after its reboot, not merely that it wrote the image.");
    String eu =
        expect(
                sh.api(
                    operator,
                    "rollout",
                    "create",
                    "--release",
                    release,
                    "--filter",
                    "tag==eu",
                    "--stages",
                    "25,50,100",
                    "--success-threshold",
                    "100",
                    "--timeout",
                    "2h",
                    "--sequential-test"),
                0)
            .firstLine();
    expect(sh.api(operator, "rollout", "start", eu), 0);
    for (int stage = 1; stage <= 3; stage++) {
      evaluate();
      List<String> offered = installAll("eu-", true, version, Integer.MAX_VALUE);
      sh.note(
          "Stage " + stage + ": " + offered.size() + " phones updated and rebooted: " + offered);
      evaluate();
      expect(sh.api(operator, "rollout", "show", eu), 0);
    }

    sh.narrate(
        "Rollout of the same release to the US phones, half of them in the first stage, halting at"
            + " 20% failures or earlier by the sequential test (docs/rollouts.md). Their installer"
            + " fails on this hardware revision.");
    String us =
        expect(
                sh.api(
                    operator,
                    "rollout",
                    "create",
                    "--release",
                    release,
                    "--filter",
                    "tag==us",
                    "--stages",
                    "50,100",
                    "--error-threshold",
                    "20",
                    "--sequential-test"),
                0)
            .firstLine();
    expect(sh.api(operator, "rollout", "start", us), 0);
    evaluate();
    List<String> failed = installAll("us-", false, version, 4);
    sh.note("The first four phones to report all failed: " + failed);
    evaluate();
    sh.note(
        "4 failures are 13% of the stage's 30 phones, below the 20% error threshold, but four"
            + " failures in four reports are far above the product's baseline: the sequential test"
            + " halts the rollout and cancels the other 26 phones' updates.");
    expect(sh.api(operator, "rollout", "show", us), 0);
    expect(sh.api(admin, "audit", "list", "--subject", "rollout/" + us), 0);
    return new Outcome(eu, us);
  }

  /** The evaluator runs every few seconds in the server; the demo runs it at once. */
  private void evaluate() {
    evaluator.runOnce();
  }

  /** The phones with this prefix poll; up to {@code max} install what they are offered. */
  private List<String> installAll(String prefix, boolean succeed, String version, int max) {
    List<String> done = new ArrayList<>();
    for (DemoDevice device : devices.values()) {
      if (!device.id.startsWith(prefix) || done.size() >= max) {
        continue;
      }
      var action = device.poll();
      if (action.isPresent()) {
        device.install(action.get(), succeed, version);
        done.add(device.id);
      }
    }
    return done;
  }

  private static DemoSession.Result expect(DemoSession.Result result, int exitCode) {
    if (result.exitCode() != exitCode) {
      throw new CommandFailedException(
          "the demo expected exit code " + exitCode + " but got " + result.exitCode());
    }
    return result;
  }
}
