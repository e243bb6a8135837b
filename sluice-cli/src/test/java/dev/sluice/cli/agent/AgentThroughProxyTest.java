package dev.sluice.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.agent.Agent;
import dev.sluice.agent.StateDir;
import dev.sluice.cli.agent.AgentServer.AgentSettings;
import dev.sluice.trust.json.CanonicalJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks a man in the middle (or a compromised mirror) can stage between a real server and the
 * agent: replayed and unsigned TUF metadata, a checkpoint that does not include the release, and a
 * download cut short (which must resume, not restart or install).
 */
class AgentThroughProxyTest {
  @TempDir static Path serverDir;
  static AgentServer server;
  static InterceptingProxy proxy;

  @TempDir Path temp;
  private final List<String> output = new ArrayList<>();
  private final List<String> traced = new ArrayList<>();
  private int devices;

  @BeforeAll
  static void start() throws Exception {
    server = new AgentServer(serverDir);
    server.publish("1.0.0", AgentServer.image("1.0.0", 300 * 1024));
    proxy = new InterceptingProxy(server.uri());
  }

  @AfterAll
  static void stop() {
    proxy.close();
    server.close();
  }

  @BeforeEach
  void passThrough() {
    proxy.clear();
    proxy.seen.clear();
  }

  private record Device(String id, StateDir state) {}

  private Device device(AgentSettings settings) {
    String id = "proxied-" + (++devices) + "-" + System.nanoTime();
    return new Device(
        id, server.state(temp.resolve(id), id, server.device(id), settings, proxy.uri()));
  }

  private Agent.Outcome run(Device d) throws InterruptedException {
    return Agent.create(d.state(), Clock.systemUTC(), output::add, traced::add)
        .run(true, Duration.ofSeconds(1));
  }

  @Test
  void timestampWithoutSignaturesIsRefused() throws Exception {
    Device d = device(AgentSettings.healthy());
    String action = server.assign(d.id(), server.releases.get("1.0.0"));
    proxy.rewrite(
        "/tuf/timestamp.json",
        bytes -> {
          ObjectNode json = (ObjectNode) CanonicalJson.parse(bytes);
          json.putArray("signatures");
          return CanonicalJson.encode(json);
        });

    assertThat(run(d)).isEqualTo(Agent.Outcome.FAILED);

    assertThat(output).anyMatch(l -> l.startsWith("REFUSED: too-few-signatures"));
    assertThat(server.action(d.id(), action).get("status").asText()).isEqualTo("failed");
  }

  @Test
  void replayedOlderTimestampIsRefusedAsStale() throws Exception {
    Device d = device(AgentSettings.healthy().withPolicy("ask"));
    byte[] old = server.p.http.get("/tuf/timestamp.json", null).body();
    String action = server.assign(d.id(), server.releases.get("1.0.0"));
    assertThat(run(d)).isEqualTo(Agent.Outcome.WAITING); // the device saw the current timestamp
    server.publish(server.nextVersion("replay")); // a newer timestamp, which the device sees next
    assertThat(run(d)).isEqualTo(Agent.Outcome.WAITING);
    proxy.rewrite("/tuf/timestamp.json", bytes -> old);
    d.state().approve(new dev.sluice.agent.ReleaseVersion("1.0.0"));

    assertThat(run(d)).isEqualTo(Agent.Outcome.FAILED);

    assertThat(output).anyMatch(l -> l.startsWith("REFUSED: stale-metadata"));
    assertThat(server.action(d.id(), action).get("status").asText()).isEqualTo("failed");
  }

  @Test
  void checkpointThatDoesNotIncludeTheReleaseIsRefusedAsNotInLog() throws Exception {
    byte[] before = server.p.http.get("/log/checkpoint", null).body();
    String release = server.publish(server.nextVersion("unlogged"));
    Device d = device(AgentSettings.healthy());
    String action = server.assign(d.id(), release);
    proxy.rewrite("/log/checkpoint", bytes -> before);

    assertThat(run(d)).isEqualTo(Agent.Outcome.FAILED);

    assertThat(output).anyMatch(l -> l.startsWith("REFUSED: not-in-log"));
    assertThat(server.action(d.id(), action).get("status").asText()).isEqualTo("failed");
  }

  @Test
  void artifactTamperedInTransitIsRefusedAndNoneOfItsBytesAreKept() throws Exception {
    Device d = device(AgentSettings.healthy());
    String action = server.assign(d.id(), server.releases.get("1.0.0"));
    proxy.rewrite(
        "/artifacts/system.img",
        bytes -> {
          byte[] changed = bytes.clone();
          changed[changed.length / 2] ^= 1;
          return changed;
        });

    assertThat(run(d)).isEqualTo(Agent.Outcome.FAILED);

    assertThat(output).anyMatch(l -> l.startsWith("REFUSED: tampered"));
    assertThat(server.action(d.id(), action).get("status").asText()).isEqualTo("failed");
    assertThat(new dev.sluice.agent.Slots(d.state().config().slots()).read().slot("b")).isEmpty();
    try (var files = Files.list(d.state().downloadsDir())) {
      assertThat(files.toList()).as("no unverified bytes are kept").isEmpty();
    }
  }

  @Test
  void interruptedDownloadResumesWithARangeRequestAndInstallsOnlyVerifiedBytes() throws Exception {
    Device d = device(AgentSettings.healthy());
    String action = server.assign(d.id(), server.releases.get("1.0.0"));
    proxy.cut("/artifacts/system.img", 100_000);

    assertThat(run(d)).isEqualTo(Agent.Outcome.RETRY);
    Path downloads = d.state().downloadsDir();
    try (var files = Files.list(downloads)) {
      Path part = files.filter(f -> f.toString().endsWith(".part")).findFirst().orElseThrow();
      assertThat(Files.size(part)).isPositive().isLessThan(300 * 1024);
    }
    assertThat(new dev.sluice.agent.Slots(d.state().config().slots()).read().pending()).isEmpty();

    proxy.clear();
    assertThat(run(d)).isEqualTo(Agent.Outcome.REBOOT);

    assertThat(traced).contains("download-resume");
    assertThat(proxy.seen)
        .filteredOn(s -> s.path().endsWith("/artifacts/system.img"))
        .last()
        .satisfies(s -> assertThat(s.range()).matches("bytes=[1-9][0-9]*-"));
    assertThat(run(d)).isEqualTo(Agent.Outcome.IDLE);
    assertThat(Files.readAllBytes(d.state().config().slots().resolve("b/system.img")))
        .isEqualTo(AgentServer.image("1.0.0", 300 * 1024));
    assertThat(server.action(d.id(), action).get("status").asText()).isEqualTo("succeeded");
  }
}
