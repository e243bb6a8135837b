package dev.sluice.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.Cli;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.Tuf;
import dev.sluice.trust.json.CanonicalJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated devices against a real server: registered in bulk, a published release assigned to
 * each, and they carry it out over DDI (poll, deployment, verified downloads, feedback, version
 * confirmation) so that the server records every action as succeeded, or as failed when the failure
 * rate is 1.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetSimulatorTest {
  private static final String PRODUCT = "acme-phone";
  private static final int DEVICES = 5;

  private Path dir;
  private RunningServer server;
  private Pipeline pipeline;
  private String release;
  private long releaseBytes;

  @BeforeAll
  void publishARelease(@TempDir Path tempDir) {
    dir = tempDir;
    server = new RunningServer(dir.resolve("server"));
    pipeline = server.pipeline.certifiers(2);
    assertThat(pipeline.createProduct(PRODUCT, 2, 1 << 20).status()).isEqualTo(201);
    Tuf.init(pipeline, Tuf.rootKeys(3));
    Map<String, byte[]> files = Pipeline.artifacts("fleet");
    release = Tuf.certified(pipeline, PRODUCT, "1.0.0", files);
    Http.Response published = Tuf.publish(pipeline, release);
    assertThat(published.status()).as(published.text()).isEqualTo(200);
    releaseBytes = files.values().stream().mapToLong(b -> b.length).sum();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void devicesInstallAndConfirmAnAssignedRelease() throws InterruptedException {
    List<SimulatedDevice> devices = registerAndAssign("ok-");

    FleetSummary summary = simulate(devices, 0);

    assertThat(summary.stoppedBy()).isEqualTo(FleetSummary.Stop.DONE);
    assertThat(summary.totals().succeeded()).isEqualTo(DEVICES);
    assertThat(summary.totals().failed()).isZero();
    assertThat(summary.totals().errors()).as(summary.text()).isZero();
    assertThat(summary.totals().bytesDownloaded()).isEqualTo(DEVICES * releaseBytes);
    for (SimulatedDevice device : devices) {
      assertThat(actionStatus(device)).isEqualTo("succeeded");
      Http.Response shown =
          server.http.get("/api/v1/devices/" + device.controllerId().value(), pipeline.adminToken);
      assertThat(shown.json().get("installed_version").asText())
          .as("the device confirmed the version it runs after its reboot")
          .isEqualTo("1.0.0");
    }
  }

  @Test
  void withFailureRateOneEveryInstallationFails() throws InterruptedException {
    List<SimulatedDevice> devices = registerAndAssign("bad-");

    FleetSummary summary = simulate(devices, 1);

    assertThat(summary.stoppedBy()).isEqualTo(FleetSummary.Stop.DONE);
    assertThat(summary.totals().failed()).isEqualTo(DEVICES);
    assertThat(summary.totals().succeeded()).isZero();
    assertThat(summary.totals().errors()).as(summary.text()).isZero();
    for (SimulatedDevice device : devices) {
      assertThat(actionStatus(device)).isEqualTo("failed");
    }
  }

  @Test
  void aVersionsOwnFailureRateDecidesForThatVersionOnly() throws InterruptedException {
    List<SimulatedDevice> failing = registerAndAssign("v-bad-");
    FleetSummary failed = simulate(failing, settings(0).withVersionFailureRate("1.0.0", 1));
    assertThat(failed.totals().failed()).as(failed.text()).isEqualTo(DEVICES);
    for (SimulatedDevice device : failing) {
      assertThat(actionStatus(device)).isEqualTo("failed");
    }

    List<SimulatedDevice> other = registerAndAssign("v-ok-");
    FleetSummary succeeded =
        simulate(
            other,
            settings(1).withVersionFailureRate("1.0.0", 0).withVersionFailureRate("2.0.0", 1));
    assertThat(succeeded.totals().succeeded()).as(succeeded.text()).isEqualTo(DEVICES);
    for (SimulatedDevice device : other) {
      assertThat(actionStatus(device)).isEqualTo("succeeded");
    }
  }

  @Test
  void theSummaryCountsPollsOfEveryDeviceWithNothingToDo() throws InterruptedException {
    List<SimulatedDevice> devices = register("idle-");
    FleetSettings settings =
        FleetSettings.defaults(server.server.baseUri())
            .withPoll(Duration.ofMillis(300))
            .withDuration(Duration.ofSeconds(2));
    List<FleetProgress> moments = new ArrayList<>();
    FleetSummary summary;
    try (FleetSimulator fleet = new FleetSimulator(settings, devices)) {
      summary = fleet.run(moments::add);
    }
    assertThat(summary.stoppedBy()).isEqualTo(FleetSummary.Stop.DURATION);
    assertThat(summary.totals().polls()).isGreaterThanOrEqualTo(DEVICES);
    assertThat(summary.totals().errors()).as(summary.text()).isZero();
    assertThat(summary.totals().started()).isZero();
    assertThat(summary.json().get("polls").asLong()).isEqualTo(summary.totals().polls());
    assertThat(moments).isNotEmpty();
    assertThat(moments.getLast().polls())
        .isPositive()
        .isLessThanOrEqualTo(summary.totals().polls());
  }

  @Test
  void theCommandRegistersDevicesAndPrintsAJsonSummary() throws Exception {
    Path tokens = dir.resolve("cli-tokens.csv");
    Cli.Result registered =
        Cli.run(
            "fleet",
            "register",
            "--server",
            server.server.baseUri().toString(),
            "--token",
            pipeline.adminToken,
            "--devices",
            "3",
            "--product",
            PRODUCT,
            "--id-prefix",
            "cli-",
            "--token-file",
            tokens.toString());
    assertThat(registered.code()).as(registered.toString()).isZero();
    assertThat(DeviceTokens.read(tokens, 3))
        .extracting(d -> d.controllerId().value())
        .containsExactly("cli-000000", "cli-000001", "cli-000002");

    Cli.Result simulated =
        Cli.run(
            "fleet",
            "simulate",
            "--server",
            server.server.baseUri().toString(),
            "--devices",
            "3",
            "--token-file",
            tokens.toString(),
            "--poll",
            "300ms",
            "--duration",
            "2s",
            "--json");
    assertThat(simulated.code()).as(simulated.toString()).isZero();
    JsonNode summary = CanonicalJson.parse(simulated.stdout());
    assertThat(summary.get("devices").asInt()).isEqualTo(3);
    assertThat(summary.get("stopped_by").asText()).isEqualTo("duration");
    assertThat(summary.get("polls").asLong()).isGreaterThanOrEqualTo(3);
    assertThat(summary.get("errors").asLong()).isZero();
    assertThat(summary.get("poll_latency_ms").get("p99").asDouble()).isPositive();
    for (String id : List.of("cli-000000", "cli-000001", "cli-000002")) {
      Http.Response device = server.http.get("/api/v1/devices/" + id, pipeline.adminToken);
      assertThat(device.status()).as(device.text()).isEqualTo(200);
      assertThat(device.json().get("attributes").get("simulator").asText())
          .as("the device uploaded its attributes when the server asked")
          .isEqualTo("sluice fleet");
    }
  }

  private FleetSummary simulate(List<SimulatedDevice> devices, double failureRate)
      throws InterruptedException {
    return simulate(devices, settings(failureRate));
  }

  private FleetSettings settings(double failureRate) {
    return FleetSettings.defaults(server.server.baseUri())
        .withFailureRate(failureRate)
        .withPoll(Duration.ofMillis(300))
        .withDuration(Duration.ofSeconds(90))
        .stoppingWhenDone();
  }

  private FleetSummary simulate(List<SimulatedDevice> devices, FleetSettings settings)
      throws InterruptedException {
    try (FleetSimulator fleet = new FleetSimulator(settings, devices)) {
      return fleet.run(progress -> {});
    }
  }

  private List<SimulatedDevice> register(String prefix) {
    try (SluiceClient client =
        new SluiceClient(server.server.baseUri(), Optional.of(pipeline.adminToken))) {
      return FleetRegistration.register(client, PRODUCT, prefix, DEVICES, n -> {});
    }
  }

  private List<SimulatedDevice> registerAndAssign(String prefix) {
    List<SimulatedDevice> devices = register(prefix);
    for (SimulatedDevice device : devices) {
      ObjectNode body = Http.object();
      body.put("release_id", release);
      Http.Response assigned =
          server.http.post(
              "/api/v1/devices/" + device.controllerId().value() + "/actions",
              pipeline.adminToken,
              body);
      assertThat(assigned.status()).as(assigned.text()).isEqualTo(201);
    }
    return devices;
  }

  private String actionStatus(SimulatedDevice device) {
    Http.Response actions =
        server.http.get(
            "/api/v1/devices/" + device.controllerId().value() + "/actions", pipeline.adminToken);
    assertThat(actions.status()).as(actions.text()).isEqualTo(200);
    JsonNode list = actions.json().get("actions");
    assertThat(list).hasSize(1);
    return list.get(0).get("status").asText();
  }
}
