package dev.sluice.server.rollout;

import static dev.sluice.server.rollout.RolloutFixture.offered;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.SimulatedDevice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts end to end: a real server, devices registered through the device API that poll and
 * report over DDI, the evaluator run by hand ({@code runOnce()}) and time moved by shifting the
 * server's clock.
 */
class RolloutHttpTest {
  @TempDir Path dataDir;
  RolloutFixture f;

  @BeforeEach
  void start() {
    f = new RolloutFixture(dataDir);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void aRolloutAdvancesStageByStageOnSuccessesAndFinishes() {
    List<SimulatedDevice> fleet = f.devices("eu", 20, "eu");
    f.devices("us", 3, "us");
    String id = f.started(f.request("eu", 10, 50, 100));

    assertThat(f.state(id)).isEqualTo("running");
    JsonNode first = f.stage(id, 1);
    assertThat(first.get("assigned").asLong()).isEqualTo(2);
    List<SimulatedDevice> stage1 = offered(fleet);
    assertThat(stage1).hasSize(2);
    stage1.forEach(d -> d.install("success"));
    f.evaluate();

    assertThat(f.show(id).get("current_stage").asInt()).isEqualTo(2);
    List<SimulatedDevice> stage2 = offered(fleet);
    assertThat(stage2).hasSize(8).doesNotContainAnyElementsOf(stage1);
    stage2.forEach(d -> d.install("success"));
    f.evaluate();

    List<SimulatedDevice> stage3 = offered(fleet);
    assertThat(stage3).hasSize(10);
    stage3.forEach(d -> d.install("success"));
    f.evaluate();

    JsonNode done = f.show(id);
    assertThat(done.get("state").asText()).isEqualTo("finished");
    assertThat(done.get("stages").get(2).get("succeeded").asLong()).isEqualTo(10);
    long total = 0;
    for (JsonNode s : done.get("stages")) {
      total += s.get("succeeded").asLong();
    }
    assertThat(total).isEqualTo(20);
    var audit = f.http.get("/api/v1/audit?subject=rollout/" + id, f.p.adminToken);
    assertThat(Pipeline.names(audit.json().get("events"), "action"))
        .containsSubsequence(
            "rollout.created",
            "rollout.started",
            "rollout.stage-started",
            "rollout.stage-started",
            "rollout.stage-started",
            "rollout.finished");
  }

  @Test
  void theErrorThresholdHaltsTheRolloutWithItsNumbersAndCancelsOpenActions() {
    List<SimulatedDevice> fleet = f.devices("eu", 20, "eu");
    ObjectNode request = f.request("eu", 50, 100);
    request.put("error_threshold", 20);
    String id = f.started(request);
    List<SimulatedDevice> stage1 = offered(fleet);
    assertThat(stage1).hasSize(10);
    // One device fetched its action (it must be asked to cancel), two fail, the rest are silent.
    String fetched = stage1.get(0).offeredAction().orElseThrow();
    stage1.get(0).fetch(fetched);
    stage1.get(1).install("failure");
    f.evaluate();
    assertThat(f.state(id)).isEqualTo("running");
    stage1.get(2).install("failure");
    f.evaluate();

    JsonNode halted = f.show(id);
    assertThat(halted.get("state").asText()).isEqualTo("halted");
    JsonNode halt = halted.get("halt");
    assertThat(halt.get("kind").asText()).isEqualTo("error-threshold");
    assertThat(halt.get("message").asText()).contains("2 of 10 devices failed (20.0%)");
    assertThat(halt.get("counters").get("failed").asLong()).isEqualTo(2);
    assertThat(halt.get("counters").get("assigned").asLong()).isEqualTo(10);

    // Unfetched actions were cancelled at once; the fetched one is being cancelled via DDI.
    assertThat(stage1.get(0).cancelRequested()).contains(fetched);
    stage1.get(0).confirmCancel(fetched);
    for (SimulatedDevice d : fleet) {
      assertThat(d.offeredAction()).as(d.id).isEmpty();
    }
    JsonNode counters = f.stage(id, 1);
    assertThat(counters.get("canceled").asLong()).isEqualTo(8);
    assertThat(counters.get("open").asLong()).isZero();
    assertThat(f.stage(id, 2).get("assigned").asLong()).isZero();
  }

  @Test
  void theSequentialTestHaltsABadReleaseAfterAFewReports() {
    List<SimulatedDevice> fleet = f.devices("eu", 400, "eu");
    ObjectNode request = f.request("eu", 50, 100);
    request.put("error_threshold", 50);
    ObjectNode test = request.putObject("sequential_test");
    test.put("alpha", 0.01);
    test.put("beta", 0.1);
    test.put("baseline", 0.02);
    String id = f.started(request);
    assertThat(f.stage(id, 1).get("assigned").asLong()).isEqualTo(200);
    List<SimulatedDevice> stage1 = new ArrayList<>();
    for (SimulatedDevice d : fleet) {
      if (stage1.size() == 6) {
        break;
      }
      if (d.offeredAction().isPresent()) {
        stage1.add(d);
      }
    }
    stage1.get(0).install("failure");
    stage1.get(1).install("success");
    stage1.get(2).install("failure");
    stage1.get(3).install("failure");
    f.evaluate();
    assertThat(f.state(id)).isEqualTo("running");
    stage1.get(4).install("failure");
    f.evaluate();

    JsonNode halted = f.show(id);
    assertThat(halted.get("state").asText()).isEqualTo("halted");
    assertThat(halted.get("halt").get("kind").asText()).isEqualTo("sequential-test");
    assertThat(halted.get("halt").get("message").asText())
        .contains("4 failed and 1 succeeded", "2.00%");
    assertThat(halted.get("halt").get("log_likelihood_ratio").asDouble())
        .isGreaterThanOrEqualTo(Math.log(0.9 / 0.01));
    assertThat(halted.get("baseline_failure_rate").asDouble()).isEqualTo(0.02);
    assertThat(f.stage(id, 1).get("canceled").asLong()).isEqualTo(195);
  }

  @Test
  void aSilentDeviceTimesOutIntoAFailureAndIsRetried() {
    List<SimulatedDevice> fleet = f.devices("eu", 4, "eu");
    ObjectNode request = f.request("eu", 100);
    request.put("in_progress_timeout", "30m");
    request.put("error_threshold", 100);
    request.put("success_threshold", 50);
    ObjectNode retry = request.putObject("retry");
    retry.put("max_attempts", 2);
    retry.putArray("on").add("timeout");
    String id = f.started(request);
    SimulatedDevice quiet = fleet.get(0);
    SimulatedDevice reporter = fleet.get(1);
    String firstAttempt = quiet.offeredAction().orElseThrow();
    reporter.install("success");
    fleet.get(2).install("failure");

    f.clock.shift(Duration.ofMinutes(31));
    f.evaluate();
    // The quiet device's first action failed for silence and a second attempt was offered.
    String secondAttempt = quiet.offeredAction().orElseThrow();
    assertThat(secondAttempt).isNotEqualTo(firstAttempt);
    JsonNode stage = f.stage(id, 1);
    assertThat(stage.get("failed").asLong()).as("a reported failure is not retried").isEqualTo(1);
    assertThat(stage.get("open").asLong()).isEqualTo(2);
    var actions = f.http.get("/api/v1/devices/" + quiet.id + "/actions", f.operator).json();
    assertThat(actions.toString()).contains("in-progress timeout");

    f.clock.shift(Duration.ofMinutes(31));
    f.evaluate();
    // Both silent devices are out of attempts now: failed for good.
    stage = f.stage(id, 1);
    assertThat(stage.get("failed").asLong()).isEqualTo(3);
    assertThat(stage.get("open").asLong()).isZero();
    assertThat(f.state(id)).isEqualTo("halted");
    assertThat(f.show(id).get("halt").get("kind").asText()).isEqualTo("success-unreachable");
  }

  @Test
  void devicesRegisteredLaterJoinARunningDynamicRollout() {
    List<SimulatedDevice> fleet = f.devices("eu", 4, "eu");
    ObjectNode request = f.request("eu", 50, 100);
    request.put("dynamic", true);
    String id = f.started(request);
    assertThat(offered(fleet)).hasSize(2);

    f.clock.shift(Duration.ofSeconds(1));
    SimulatedDevice late = f.device("eu-late", "eu");
    SimulatedDevice other = f.device("us-late", "us");
    f.evaluate();

    assertThat(late.offeredAction()).isPresent();
    assertThat(other.offeredAction()).isEmpty();
    assertThat(f.stage(id, 1).get("assigned").asLong()).isEqualTo(3);
  }

  @Test
  void aNonDynamicRolloutIgnoresDevicesRegisteredLater() {
    f.devices("eu", 2, "eu");
    String id = f.started(f.request("eu", 100));
    f.clock.shift(Duration.ofSeconds(1));
    SimulatedDevice late = f.device("eu-late", "eu");
    f.evaluate();
    assertThat(late.offeredAction()).isEmpty();
    assertThat(f.stage(id, 1).get("assigned").asLong()).isEqualTo(2);
  }

  @Test
  void pauseHoldsTheNextStageResumeReleasesItAndCancelCancelsOpenActions() {
    List<SimulatedDevice> fleet = f.devices("eu", 10, "eu");
    String id = f.started(f.request("eu", 50, 100));
    offered(fleet).forEach(d -> d.install("success"));
    assertThat(f.act(id, "pause").get("state").asText()).isEqualTo("paused");
    f.evaluate();
    assertThat(f.show(id).get("current_stage").asInt()).isEqualTo(1);
    assertThat(offered(fleet)).isEmpty();

    assertThat(f.act(id, "resume").get("state").asText()).isEqualTo("running");
    f.evaluate();
    List<SimulatedDevice> stage2 = offered(fleet);
    assertThat(stage2).hasSize(5);

    Http.Response canceled =
        f.http.post(
            "/api/v1/rollouts/" + id + "/cancel", f.operator, Http.object().put("reason", "bad"));
    assertThat(canceled.status()).as(canceled.text()).isEqualTo(200);
    assertThat(canceled.json().get("state").asText()).isEqualTo("canceled");
    assertThat(canceled.json().get("halt").get("message").asText()).contains("ops", "bad");
    assertThat(offered(fleet)).isEmpty();
    assertThat(f.stage(id, 2).get("canceled").asLong()).isEqualTo(5);
    Http.Response late =
        f.http.postBytes(
            "/api/v1/rollouts/" + id + "/pause", f.operator, new byte[0], "application/json");
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.json().get("conflict").asText()).isEqualTo("illegal_transition");
  }

  @Test
  void aManualGateWaitsForApproval() {
    List<SimulatedDevice> fleet = f.devices("eu", 4, "eu");
    ObjectNode request = f.request("eu", 50, 100);
    request.put("gate", "manual");
    String id = f.started(request);
    offered(fleet).forEach(d -> d.install("success"));
    f.evaluate();
    assertThat(f.state(id)).isEqualTo("waiting-approval");
    f.evaluate();
    assertThat(offered(fleet)).isEmpty();

    assertThat(f.act(id, "approve").get("current_stage").asInt()).isEqualTo(2);
    f.evaluate();
    assertThat(offered(fleet)).hasSize(2);
  }

  @Test
  void aScheduledRolloutStartsAtItsTime() {
    List<SimulatedDevice> fleet = f.devices("eu", 3, "eu");
    ObjectNode request = f.request("eu", 100);
    request.put("start_at", f.clock.instant().plus(Duration.ofHours(1)).toString());
    String id = f.started(request);
    assertThat(f.state(id)).isEqualTo("scheduled");
    assertThat(offered(fleet)).isEmpty();

    f.clock.shift(Duration.ofMinutes(61));
    f.evaluate();
    assertThat(f.state(id)).isEqualTo("running");
    assertThat(offered(fleet)).hasSize(3);
  }

  @Test
  void theMaintenanceWindowAndActionTypeReachTheDevice() {
    List<SimulatedDevice> fleet = f.devices("eu", 1, "eu");
    ObjectNode request = f.request("eu", 100);
    request.put("type", "soft");
    ObjectNode window = request.putObject("window");
    window.put("schedule", "0 3 * * *");
    window.put("duration", "1h");
    window.put("zone", "Europe/Berlin");
    f.started(request);
    SimulatedDevice device = fleet.get(0);
    JsonNode deployment = device.fetch(device.offeredAction().orElseThrow());
    assertThat(deployment.get("deployment").get("download").asText()).isEqualTo("attempt");
    assertThat(deployment.get("deployment").get("update").asText()).isIn("attempt", "skip");
    assertThat(deployment.get("deployment").has("maintenanceWindow")).isTrue();
    var actions = f.http.get("/api/v1/devices/" + device.id + "/actions", f.operator).json();
    assertThat(actions.toString()).contains("0 3 * * *", "Europe/Berlin");
  }

  @Test
  void successMeansRunningTheNewVersionUnlessTheRolloutAcceptsDdiSuccess() {
    List<SimulatedDevice> fleet = f.devices("eu", 2, "eu");
    ObjectNode request = f.request("eu", 100);
    request.remove("confirmation");
    String id = f.started(request);
    for (SimulatedDevice d : fleet) {
      d.install("success");
    }
    f.evaluate();
    JsonNode stage = f.stage(id, 1);
    assertThat(stage.get("succeeded").asLong()).as("installed is not yet success").isZero();
    assertThat(stage.get("open").asLong()).isEqualTo(2);

    fleet.forEach(d -> d.reportsRunning("1.0.0"));
    f.evaluate();
    assertThat(f.stage(id, 1).get("succeeded").asLong()).isEqualTo(2);
    assertThat(f.state(id)).isEqualTo("finished");
  }

  @Test
  void stageMembershipIsAReproducibleSampleNotTheFirstIds() {
    List<SimulatedDevice> fleet = f.devices("eu", 40, "eu");
    String id = f.started(f.request("eu", 25, 100));
    Set<String> chosen = new HashSet<>();
    offered(fleet).forEach(d -> chosen.add(d.id));
    assertThat(chosen).hasSize(10);
    Set<String> firstIds = new HashSet<>();
    fleet.stream().map(d -> d.id).sorted().limit(10).forEach(firstIds::add);
    assertThat(chosen).isNotEqualTo(firstIds);
    assertThat(f.show(id).get("stages").get(0).get("percent").asInt()).isEqualTo(25);
  }

  @Test
  void explicitGroupsAreStagesInTheirOrder() {
    List<SimulatedDevice> lab = f.devices("lab", 2, "lab");
    List<SimulatedDevice> eu = f.devices("eu", 4, "eu");
    SimulatedDevice us = f.device("us-0", "us");
    ObjectNode request = f.request("eu", 100);
    request.remove("stages");
    request.put("filter", "");
    request.putArray("groups").add("tag==lab").add("tag==eu");
    String id = f.started(request);
    assertThat(offered(lab)).hasSize(2);
    assertThat(offered(eu)).isEmpty();
    lab.forEach(d -> d.install("success"));
    f.evaluate();
    assertThat(offered(eu)).hasSize(4);
    assertThat(us.offeredAction()).isEmpty();
    JsonNode shown = f.show(id);
    assertThat(shown.get("stages").get(0).get("group").asText()).isEqualTo("tag==lab");
    assertThat(shown.get("stages").get(1).get("assigned").asLong()).isEqualTo(4);
  }
}
