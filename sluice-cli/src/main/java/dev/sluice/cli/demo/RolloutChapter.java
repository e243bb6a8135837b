package dev.sluice.cli.demo;

import dev.sluice.cli.client.Rollout;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.cli.fleet.DeviceTokens;
import dev.sluice.cli.fleet.FleetSettings;
import dev.sluice.cli.fleet.FleetSummary;
import dev.sluice.cli.fleet.SimulatedDevice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The demo's second part: a fleet operator registers a thousand phones, which then run as simulated
 * DDI devices in this process (each polls, downloads and verifies the artifacts, installs, reboots
 * and confirms the version it runs, over HTTP). The certified release rolls out in four stages to
 * completion; a second release, certified and published the same way but failing on the phones,
 * halts itself in its first stage and is never offered to the rest.
 */
final class RolloutChapter {
  static final int DEVICES = 1000;
  static final int EU = 600;
  static final String STAGES = "1,10,50,100";

  /** The bad release's version, and the share of phones on which its installation fails. */
  static final String BAD_VERSION = "14.1.0";

  static final double BAD_FAILURE_RATE = 0.75;

  /** How often the demo server tells devices to poll, and its rollout evaluator runs. */
  static final Duration POLL = Duration.ofSeconds(1);

  static final Duration EVALUATE = Duration.ofSeconds(1);

  private static final Duration ROLLOUT_LIMIT = Duration.ofMinutes(3);

  private final DemoSession sh;
  private final Path dir;
  private final DemoSession.Actor admin;
  private DemoSession.Actor operator;

  /** What the chapter produced, for the closing summary. */
  record Outcome(String finishedRollout, String haltedRollout, String badRelease) {}

  RolloutChapter(DemoSession session, Path dir, String adminToken) {
    this.sh = session;
    this.dir = dir;
    this.admin = new DemoSession.Actor("admin", "ADMIN_TOKEN", adminToken);
  }

  Outcome run(DemoStory story, String release) throws IOException, InterruptedException {
    sh.narrate("The admin gives a fleet operator a token.");
    String token =
        expect(sh.api(admin, "token", "create", "--role", "operator", "--label", "fleet-ops"), 0)
            .firstLine();
    operator = new DemoSession.Actor("operator", "OPERATOR_TOKEN", token);

    sh.narrate(
        String.format(
            Locale.ROOT,
            "The operator registers %,d phones in one go (%d tagged eu, %d tagged us). Each gets a"
                + " secret target token for the DDI device API; the tokens go to a file only the"
                + " operator can read.",
            DEVICES,
            EU,
            DEVICES - EU));
    Path csv = dir.resolve("fleet.csv");
    StringBuilder rows = new StringBuilder("controller_id,product,tags\n");
    for (int i = 0; i < DEVICES; i++) {
      rows.append(
          String.format(
              Locale.ROOT, "phone-%04d,%s,%s\n", i, DemoStory.PRODUCT, i < EU ? "eu" : "us"));
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
    expect(sh.api(operator, "device", "count", "--filter", "tag==eu"), 0);
    List<SimulatedDevice> phones = DeviceTokens.read(tokens, DEVICES);

    sh.narrate(
        String.format(
            Locale.ROOT,
            "The %,d phones come online: simulated in this process, one virtual thread each,"
                + " speaking hawkBit DDI over HTTP with their own tokens (the same simulator as"
                + " `sluice fleet simulate`). This demo server asks them to poll every %d s (a"
                + " real one: every 5 minutes) and evaluates rollouts every %d s. The simulator"
                + " (not the server) is told that %.0f%% of the phones fail to install %s.",
            DEVICES,
            POLL.toSeconds(),
            EVALUATE.toSeconds(),
            BAD_FAILURE_RATE * 100,
            BAD_VERSION));
    FleetSettings settings =
        FleetSettings.defaults(sh.server()).withVersionFailureRate(BAD_VERSION, BAD_FAILURE_RATE);
    Outcome outcome;
    FleetSummary summary;
    try (DemoFleet fleet = DemoFleet.start(settings, phones);
        SluiceClient client = new SluiceClient(sh.server(), Optional.of(operator.token()))) {
      fleet.awaitPolls(DEVICES, Duration.ofSeconds(60));
      fleet
          .progress()
          .ifPresent(
              p ->
                  sh.note(
                      String.format(
                          Locale.ROOT,
                          "The phones are polling: %,d polls so far, %,.0f a second.",
                          p.polls(),
                          p.pollsPerSecond())));
      RolloutWatch watch = new RolloutWatch(client, sh, fleet::progress);

      sh.narrate(
          "The operator rolls the certified release out to every phone in 4 stages (1%, 10%, 50%,"
              + " 100%): a stage must reach 95% success before the next starts, 5% failures halt"
              + " everything, and the sequential test watches each report. Success means the"
              + " phone runs the new version after its reboot.");
      String good = rollout(release);
      Rollout finished = watch.until(good, ROLLOUT_LIMIT);
      expectState(finished, "finished");
      expect(sh.api(operator, "rollout", "show", good), 0);

      sh.narrate(
          "The next release, "
              + BAD_VERSION
              + ", passes its standards and two labs certify it: its metadata is fine. But its new"
              + " bootloader fails on most phones, which no review of the metadata can show.");
      String bad = story.ship(BAD_VERSION);
      sh.narrate("The operator rolls " + BAD_VERSION + " out exactly the same way.");
      String halted = rollout(bad);
      Rollout stopped = watch.until(halted, ROLLOUT_LIMIT);
      expectState(stopped, "halted");
      sh.note(
          "It halted itself in stage "
              + stopped.json().path("halt").path("stage").asInt()
              + ". Phones of that stage that had not fetched it yet are canceled, later stages"
              + " were never offered, and the halt records its reason and numbers:");
      expect(sh.api(operator, "rollout", "show", halted), 0);
      expect(sh.api(admin, "audit", "list", "--subject", "rollout/" + halted), 0);
      outcome = new Outcome(good, halted, bad);
      summary = fleet.stop();
    }
    sh.narrate("What the simulated phones did meanwhile (all of it over HTTP):");
    summary.text().lines().forEach(sh::note);
    return outcome;
  }

  private String rollout(String release) {
    String id =
        expect(
                sh.api(
                    operator,
                    "rollout",
                    "create",
                    "--release",
                    release,
                    "--stages",
                    STAGES,
                    "--success-threshold",
                    "95",
                    "--error-threshold",
                    "5",
                    "--timeout",
                    "10m",
                    "--sequential-test"),
                0)
            .firstLine();
    expect(sh.api(operator, "rollout", "start", id), 0);
    return id;
  }

  private static void expectState(Rollout r, String state) {
    if (!r.state().equals(state)) {
      throw new CommandFailedException(
          "the demo expected rollout " + r.id() + " to be " + state + " but it is " + r.state());
    }
  }

  private static DemoSession.Result expect(DemoSession.Result result, int exitCode) {
    if (result.exitCode() != exitCode) {
      throw new CommandFailedException(
          "the demo expected exit code " + exitCode + " but got " + result.exitCode());
    }
    return result;
  }
}
