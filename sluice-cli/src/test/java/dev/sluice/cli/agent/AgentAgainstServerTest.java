package dev.sluice.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.Agent;
import dev.sluice.agent.BootControl;
import dev.sluice.agent.Slots;
import dev.sluice.agent.StateDir;
import dev.sluice.cli.agent.AgentServer.AgentSettings;
import dev.sluice.server.LogKeys;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.tlog.Checkpoint;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.NoteSigner;
import dev.sluice.trust.tlog.NoteVerifier;
import dev.sluice.trust.tlog.SignedNote;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a real server: it installs, reboots, confirms and reports what verifies, and
 * refuses — reporting a failure with the reason — every attack the server side can stage today.
 */
class AgentAgainstServerTest {
  @TempDir static Path serverDir;
  static AgentServer server;

  @TempDir Path temp;
  private final List<String> output = new ArrayList<>();
  private int devices;

  @BeforeAll
  static void start() {
    server = new AgentServer(serverDir);
    server.publish("1.0.0");
    server.publish("2.0.0");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private record Device(String id, StateDir state) {}

  private Device device(AgentSettings settings) {
    String id = "agent-" + (++devices) + "-" + System.nanoTime();
    String token = server.device(id);
    return new Device(id, server.state(temp.resolve(id), id, token, settings));
  }

  private Agent agent(Device d, Clock clock) {
    return Agent.create(d.state(), clock, output::add, point -> {});
  }

  private Agent.Outcome run(Device d) throws InterruptedException {
    return run(d, Clock.systemUTC());
  }

  private Agent.Outcome run(Device d, Clock clock) throws InterruptedException {
    return agent(d, clock).run(true, Duration.ofSeconds(1));
  }

  private BootControl boot(Device d) {
    return new Slots(d.state().config().slots()).read();
  }

  @Test
  void verifiedReleaseIsInstalledBootedConfirmedAndCountedAsSucceeded() throws Exception {
    Device d = device(AgentSettings.healthy());
    String action = server.assign(d.id(), server.releases.get("1.0.0"));

    assertThat(run(d)).isEqualTo(Agent.Outcome.REBOOT);
    assertThat(server.action(d.id(), action).get("status").asText()).isEqualTo("installed");
    BootControl installed = boot(d);
    assertThat(installed.pending()).contains("b");
    assertThat(installed.active()).isEqualTo("a");
    assertThat(output).anyMatch(l -> l.contains("update acme-phone 1.0.0"));
    assertThat(output).anyMatch(l -> l.contains("✓ log: entry"));
    // The last links, by the chain library against the live server's release record (v2): the
    // sign-offs verify under the logged certification policy, endorsed back to its first.
    assertThat(output)
        .anyMatch(
            l ->
                l.contains("✓ certification: ")
                    && l.contains("under policy #")
                    && l.contains("endorsed back to the product's first policy"));

    // The reboot: the health command confirms slot b, and the agent reports success.
    assertThat(run(d)).isEqualTo(Agent.Outcome.IDLE);
    BootControl confirmed = boot(d);
    assertThat(confirmed.active()).isEqualTo("b");
    assertThat(confirmed.pending()).isEmpty();
    assertThat(confirmed.highestVersion().orElseThrow().value()).isEqualTo("1.0.0");
    assertThat(new Slots(d.state().config().slots()).intact(confirmed, "b")).isTrue();
    assertThat(Files.readAllBytes(d.state().config().slots().resolve("b/system.img")))
        .isEqualTo(AgentServer.image("1.0.0", 48 * 1024));
    assertThat(server.action(d.id(), action).get("status").asText()).isEqualTo("succeeded");
    assertThat(d.state().installedManifest()).isPresent();
    assertThat(d.state().job()).isEmpty();
  }

  @Test
  void artifactDamagedOnTheServerIsNeverHandedOverAndNothingIsInstalled() throws Exception {
    String version = server.nextVersion("damaged");
    byte[] image = AgentServer.image(version, 40 * 1024);
    String release = server.publish(version, image);
    server.corruptStoredArtifact(image);
    Device d = device(AgentSettings.healthy());
    server.assign(d.id(), release);

    // The server refuses to serve bytes that fail their SHA-256 (503): the agent tries later.
    assertThat(run(d)).isEqualTo(Agent.Outcome.RETRY);

    assertThat(boot(d).pending()).isEmpty();
    assertThat(boot(d).slot("b")).isEmpty();
    try (var files = Files.list(d.state().downloadsDir())) {
      assertThat(files.toList()).as("no unverified bytes are kept").isEmpty();
    }
  }

  @Test
  void olderReleaseThanTheHighestInstalledIsRefusedAsDowngrade() throws Exception {
    Device d = device(AgentSettings.healthy());
    server.assign(d.id(), server.releases.get("2.0.0"));
    run(d);
    run(d);
    assertThat(boot(d).highestVersion().orElseThrow().value()).isEqualTo("2.0.0");

    String action = server.assign(d.id(), server.releases.get("1.0.0"));
    assertThat(run(d)).isEqualTo(Agent.Outcome.FAILED);

    assertThat(output).anyMatch(l -> l.startsWith("REFUSED: downgrade"));
    assertThat(server.action(d.id(), action).get("status").asText()).isEqualTo("failed");
    assertThat(server.action(d.id(), action).get("last_message").asText()).contains("downgrade");
  }

  @Test
  void checkpointInconsistentWithTheStoredOneIsRefusedAsForkAndBothAreKept() throws Exception {
    Device d = device(AgentSettings.healthy());
    // A checkpoint signed with the log's own key for another tree of the same size: a fork.
    NoteVerifier vkey = NoteVerifier.parse(server.logKey);
    Checkpoint real =
        Checkpoint.fromVerifiedNote(
            SignedNote.open(server.p.http.get("/log/checkpoint", null).body(), vkey));
    NoteSigner signer = logKey(server.running.dataDir, real.origin());
    Hash other = Hash.of(Sha256.of("another history".getBytes(StandardCharsets.UTF_8)));
    String forged =
        SignedNote.sign(new Checkpoint(real.origin(), real.size(), other).toBody(), signer);
    d.state().storeCheckpoint(forged.getBytes(StandardCharsets.UTF_8));
    String action = server.assign(d.id(), server.releases.get("1.0.0"));

    assertThat(run(d)).isEqualTo(Agent.Outcome.FAILED);

    assertThat(output).anyMatch(l -> l.startsWith("REFUSED: log-fork"));
    assertThat(server.action(d.id(), action).get("status").asText()).isEqualTo("failed");
    try (var evidence = Files.list(d.state().path().resolve("evidence"))) {
      Path fork = evidence.findFirst().orElseThrow();
      assertThat(Files.readString(fork.resolve("stored.checkpoint"))).isEqualTo(forged);
      assertThat(Files.readAllBytes(fork.resolve("served.checkpoint")))
          .isEqualTo(server.p.http.get("/log/checkpoint", null).body());
    }
  }

  @Test
  void expiredTimestampIsRefusedAsStaleMetadata() throws Exception {
    Device d = device(AgentSettings.healthy());
    String action = server.assign(d.id(), server.releases.get("1.0.0"));
    // The device's clock is a year ahead: every online-signed role has expired by then.
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(366));

    assertThat(run(d, later)).isEqualTo(Agent.Outcome.FAILED);

    assertThat(output).anyMatch(l -> l.startsWith("REFUSED: stale-metadata"));
    assertThat(server.action(d.id(), action).get("status").asText()).isEqualTo("failed");
  }

  @Test
  void revokedReleaseIsWithdrawnAndRefusedWithTheLoggedReasonIfOfferedAnyway() throws Exception {
    String release = server.publish(server.nextVersion("revoked"));
    Device d = device(AgentSettings.healthy());
    String withdrawn = server.assign(d.id(), release);
    server.revoke(release, "bricks devices with old bootloaders");

    // The server withdrew it in the revocation's transaction: nothing is offered.
    assertThat(server.action(d.id(), withdrawn).get("status").asText()).isEqualTo("canceled");
    assertThat(run(d)).isEqualTo(Agent.Outcome.IDLE);

    // A server that offers it anyway is refused by the agent itself, with the logged reason.
    String action = server.offerBehindTheServersBack(d.id(), release);
    assertThat(run(d)).isEqualTo(Agent.Outcome.FAILED);
    assertThat(output)
        .anyMatch(l -> l.startsWith("REFUSED: revoked") && l.contains("old bootloaders"));
    assertThat(server.action(d.id(), action).get("status").asText()).isEqualTo("failed");
  }

  @Test
  void releaseOfAnotherProductIsRefused() throws Exception {
    Device d = device(AgentSettings.healthy().withProduct("acme-tv"));
    String action = server.assign(d.id(), server.releases.get("1.0.0"));

    assertThat(run(d)).isEqualTo(Agent.Outcome.FAILED);

    assertThat(output).anyMatch(l -> l.startsWith("REFUSED: wrong-product"));
    assertThat(server.action(d.id(), action).get("status").asText()).isEqualTo("failed");
  }

  @Test
  void slotThatNeverBecomesHealthyFallsBackAndFailsTheAction() throws Exception {
    Device d = device(AgentSettings.healthy().withHealth(Optional.of("exit 3"), 2));
    String action = server.assign(d.id(), server.releases.get("1.0.0"));
    assertThat(run(d)).isEqualTo(Agent.Outcome.REBOOT);

    run(d); // boot 1: health fails, one try left
    assertThat(boot(d).pending()).contains("b");
    assertThat(boot(d).triesLeft()).isEqualTo(1);
    run(d); // boot 2: health fails on the last try: back to slot a

    BootControl control = boot(d);
    assertThat(control.active()).isEqualTo("a");
    assertThat(control.pending()).isEmpty();
    assertThat(control.highestVersion()).isEmpty();
    assertThat(server.action(d.id(), action).get("status").asText()).isEqualTo("failed");
    assertThat(server.action(d.id(), action).get("last_message").asText())
        .contains("health command exited 3");
  }

  @Test
  void askPolicyWaitsForTheOwnersApprovalAndReportsProceedingMeanwhile() throws Exception {
    Device d = device(AgentSettings.healthy().withPolicy("ask"));
    String action = server.assign(d.id(), server.releases.get("1.0.0"));

    assertThat(run(d)).isEqualTo(Agent.Outcome.WAITING);
    assertThat(run(d)).isEqualTo(Agent.Outcome.WAITING);
    assertThat(output).anyMatch(l -> l.contains("sluice agent approve 1.0.0"));
    assertThat(server.action(d.id(), action).get("status").asText()).isEqualTo("running");
    assertThat(boot(d).pending()).isEmpty();

    d.state().approve(new dev.sluice.agent.ReleaseVersion("1.0.0"));
    assertThat(run(d)).isEqualTo(Agent.Outcome.REBOOT);
  }

  @Test
  void secondUpdateShowsTheCapabilityDiffAgainstTheInstalledManifest() throws Exception {
    Device d = device(AgentSettings.healthy());
    server.assign(d.id(), server.releases.get("1.0.0"));
    run(d);
    run(d);
    output.clear();
    server.assign(d.id(), server.releases.get("2.0.0"));

    assertThat(run(d)).isEqualTo(Agent.Outcome.REBOOT);

    assertThat(output).anyMatch(l -> l.equals("update acme-phone 1.0.0 -> 2.0.0"));
    assertThat(output).anyMatch(l -> l.startsWith("  capabilities") || l.startsWith("  + "));
    assertThat(boot(d).pending()).contains("a");
  }

  /** The server's own log key, opened from its database with its generated passphrase. */
  private static NoteSigner logKey(Path dataDir, String origin) {
    char[] passphrase =
        LogKeys.passphrase(dataDir, Optional.empty(), Optional.empty(), false, false);
    try (var db = dev.sluice.store.db.Database.open("jdbc:sqlite:" + dataDir.resolve("sluice.db"));
        var vault =
            new dev.sluice.server.keys.OnlineKeyVault(
                new dev.sluice.core.key.SealedKeys(new dev.sluice.store.jdbi.JdbiTransactions(db)),
                dataDir.resolve("keys"),
                passphrase,
                java.time.Clock.systemUTC())) {
      return LogKeys.load(vault, origin);
    }
  }
}
