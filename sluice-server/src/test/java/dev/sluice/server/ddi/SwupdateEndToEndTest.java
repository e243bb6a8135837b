package dev.sluice.server.ddi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.swupdate.SwuImage;
import dev.sluice.server.testing.swupdate.SwupdateProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 end to end: real {@code swupdate} daemons (suricatta, hawkBit DDI mode) update devices
 * from a real Sluice server. The operator registers devices, publishes a signed {@code .swu} and
 * rolls it out through the management API; the tests wait (never sleep) for what the devices and
 * the server do, and every assertion made while a daemon runs carries its log.
 */
class SwupdateEndToEndTest {
  private static final Duration PATIENCE = Duration.ofMinutes(2);
  // SWUpdate's own log lines (2022.12).
  private static final String NOTHING_TO_DO = "No pending action on server";
  private static final String MAIN_LOOP = "entering suricatta main loop";
  private static final String INSTALL_STARTED = "Software Update started";

  @TempDir Path dir;
  private SwupdateFleet fleet;

  @BeforeEach
  void startServer() {
    fleet = new SwupdateFleet(dir);
  }

  @AfterEach
  void stopServer() {
    fleet.close();
  }

  @Test
  void swupdateInstallsARolledOutReleaseAndConfirmsItAfterRestart() throws IOException {
    String token = fleet.register("gw-1");
    byte[] payload = Pipeline.generated("e2e-payload", 20_000);
    Path target = fleet.workDir("gw-1").resolve("target.bin");
    String release = fleet.publish("1.0.0", fleet.image("1.0.0", payload, target));
    // The defaults: forced, success = running the new version after reboot; one stage.
    String rollout = fleet.startRollout(spec(release).set("stages", stages(100)));
    fleet.evaluateRollouts();
    JsonNode offered = fleet.action("gw-1");
    assertThat(offered.get("status").asText()).isEqualTo("offered");
    assertThat(offered.get("confirmation").asText()).isEqualTo("running-version");
    long action = offered.get("id").asLong();

    try (SwupdateProcess sw =
        SwupdateProcess.start(fleet.settings("gw-1", token, Map.of("sluice.version", "0.9.0")))) {
      waitUntil(
          () -> {
            assertThat(Files.exists(target)).as(sw::log).isTrue();
            assertThat(Files.readAllBytes(target)).as(sw::log).isEqualTo(payload);
          });
      // Installed, not yet confirmed: the device has not shown it runs 1.0.0.
      waitUntil(() -> assertThat(status("gw-1")).as(sw::log).isEqualTo("installed"));
      JsonNode device = fleet.device("gw-1");
      assertThat(device.get("status").asText()).isEqualTo("pending");
      assertThat(device.at("/attributes/sluice.version").asText()).isEqualTo("0.9.0");
      // Still offered: after its restart swupdate learns from it which action to confirm.
      assertThat(fleet.poll("gw-1", token).at("/_links/deploymentBase/href").asText())
          .contains("/deploymentBase/" + action);
      fleet.evaluateRollouts();
      JsonNode running = fleet.rollout(rollout);
      assertThat(running.get("state").asText()).isEqualTo("running");
      assertThat(running.at("/stages/0/open").asLong()).isEqualTo(1);

      // The device reboots into the new version: swupdate -c 2, now identifying as 1.0.0.
      sw.confirm("1.0.0");

      waitUntil(() -> assertThat(status("gw-1")).as(sw::log).isEqualTo("succeeded"));
      waitUntil(
          () -> {
            JsonNode d = fleet.device("gw-1");
            assertThat(d.get("status").asText()).as(sw::log).isEqualTo("in_sync");
            assertThat(d.get("installed_version").asText()).isEqualTo("1.0.0");
            assertThat(d.get("installed_release").asText()).isEqualTo(release);
            assertThat(d.at("/attributes/sluice.version").asText()).isEqualTo("1.0.0");
          });
      fleet.evaluateRollouts();
      JsonNode finished = fleet.rollout(rollout);
      assertThat(finished.get("state").asText()).isEqualTo("finished");
      assertThat(finished.at("/stages/0/succeeded").asLong()).isEqualTo(1);
      assertThat(finished.at("/stages/0/failed").asLong()).isZero();
      JsonNode poll = fleet.poll("gw-1", token);
      assertThat(poll.at("/_links/deploymentBase").isMissingNode()).isTrue();
      assertThat(poll.at("/_links/installedBase/href").asText())
          .endsWith("/installedBase/" + action);
      assertThat(count(sw.log(), INSTALL_STARTED)).as("installed once").isEqualTo(1);
      assertThat(sw.log())
          .contains(
              "Got state=2 from command line",
              "Associated Action ID for Update Action is " + action)
          .doesNotContain("unhandled HTTP error code", "Error while reporting");
    }
  }

  @Test
  void aCorruptedStoredArtifactIsNeverServedToSwupdate() {
    // Issue 10, item 9: the server verifies the blob and answers 503; SWUpdate never gets the
    // corrupted bytes (it used to download them and refuse them on its own HASH check).
    String canary1 = fleet.register("canary-1", "canary");
    Path target = dir.resolve("target.bin");
    SwuImage image = fleet.image("1.0.0", Pipeline.generated("e2e-corrupt", 20_000), target);
    String release = fleet.publish("1.0.0", image);
    // The disk under the artifact store fails: the payload no longer matches its signed sha256.
    fleet.corruptStoredArtifact(image.bytes(), image.withCorruptedPayload("payload.bin").bytes());
    ObjectNode spec = spec(release);
    spec.putArray("groups").add("tag==canary");
    fleet.startRollout(spec);
    fleet.evaluateRollouts();
    assertThat(status("canary-1")).isEqualTo("offered");

    try (SwupdateProcess sw =
        SwupdateProcess.start(fleet.settings("canary-1", canary1, Map.of()))) {
      waitUntil(() -> assertThat(sw.log()).contains("HTTP error code 503"));
      assertThat(sw.log()).doesNotContain("HASH mismatch");
      assertThat(count(sw.log(), INSTALL_STARTED)).isZero();
      assertThat(fleet.action("canary-1").get("status").asText()).isNotEqualTo("succeeded");
    }
    assertThat(target).doesNotExist();
  }

  @Test
  void devicesFailingToInstallHaltTheRolloutAtItsErrorThreshold() {
    String canary1 = fleet.register("canary-1", "canary");
    String canary2 = fleet.register("canary-2", "canary");
    String fleet1 = fleet.register("fleet-1", "fleet");
    String fleet2 = fleet.register("fleet-2", "fleet");
    Path target = dir.resolve("target.bin");
    // A broken build: the .swu's payload does not match the sha256 its signed sw-description
    // declares. The server stores and serves it as uploaded (its own SHA-256 is right); SWUpdate
    // downloads it, refuses it at install time and reports the failure over DDI.
    SwuImage image =
        fleet
            .image("1.0.0", Pipeline.generated("e2e-broken", 20_000), target)
            .withCorruptedPayload("payload.bin");
    String release = fleet.publish("1.0.0", image);
    // Two failures out of two canaries reach 75 %; one alone (50 %) neither halts nor makes the
    // 50 % success threshold unreachable.
    ObjectNode spec = spec(release);
    spec.putArray("groups").add("tag==canary").add("tag==fleet");
    spec.put("success_threshold", 50).put("error_threshold", 75);
    String rollout = fleet.startRollout(spec);
    fleet.evaluateRollouts();
    assertThat(status("canary-1")).isEqualTo("offered");
    assertThat(status("canary-2")).isEqualTo("offered");
    assertThat(fleet.actions("fleet-1")).isEmpty();

    try (SwupdateProcess sw1 =
            SwupdateProcess.start(fleet.settings("canary-1", canary1, Map.of()));
        SwupdateProcess sw2 =
            SwupdateProcess.start(fleet.settings("canary-2", canary2, Map.of()))) {
      for (var device : Map.of("canary-1", sw1, "canary-2", sw2).entrySet()) {
        SwupdateProcess sw = device.getValue();
        waitUntil(
            () -> {
              JsonNode a = fleet.action(device.getKey());
              assertThat(a.get("status").asText()).as(sw::log).isEqualTo("failed");
              assertThat(a.get("last_message").asText())
                  .startsWith("closed/failure")
                  .contains("No suitable .swu image found");
            });
        assertThat(sw.log()).as("swupdate's reason").contains("HASH mismatch");
      }
      assertThat(target).doesNotExist();

      fleet.evaluateRollouts();
      JsonNode halted = fleet.rollout(rollout);
      assertThat(halted.get("state").asText()).as(halted::toString).isEqualTo("halted");
      JsonNode halt = halted.get("halt");
      assertThat(halt.get("kind").asText()).isEqualTo("error-threshold");
      assertThat(halt.get("stage").asInt()).isEqualTo(1);
      assertThat(halt.get("message").asText())
          .contains("2 of 2 devices failed", "error threshold of 75%");
      assertThat(halt.at("/counters/failed").asLong()).isEqualTo(2);
      assertThat(halt.at("/counters/succeeded").asLong()).isZero();
      assertThat(halted.at("/stages/1/assigned").asLong()).isZero();

      // The failed actions are not offered again: the next polls find nothing to do.
      for (SwupdateProcess sw : new SwupdateProcess[] {sw1, sw2}) {
        long before = count(sw.log(), NOTHING_TO_DO);
        await().atMost(PATIENCE).until(sw::pollNow);
        waitUntil(() -> assertThat(count(sw.log(), NOTHING_TO_DO)).isGreaterThan(before));
      }
      assertThat(fleet.actions("canary-1")).hasSize(1);
      assertThat(fleet.actions("canary-2")).hasSize(1);
      for (SwupdateProcess sw : new SwupdateProcess[] {sw1, sw2}) {
        assertThat(count(sw.log(), INSTALL_STARTED)).as(sw::log).isEqualTo(1);
      }
    }
    // The second stage never started, even after more evaluations.
    fleet.evaluateRollouts();
    assertThat(fleet.rollout(rollout).get("state").asText()).isEqualTo("halted");
    for (var device : Map.of("fleet-1", fleet1, "fleet-2", fleet2).entrySet()) {
      assertThat(fleet.actions(device.getKey())).isEmpty();
      JsonNode poll = fleet.poll(device.getKey(), device.getValue());
      assertThat(poll.at("/_links/deploymentBase").isMissingNode()).as(poll::toString).isTrue();
    }
    assertThat(target).doesNotExist();
  }

  @Test
  void cancellingAnInstalledActionIsAcknowledgedBySwupdate() {
    String token = fleet.register("gw-1");
    byte[] payload = Pipeline.generated("e2e-cancel", 20_000);
    Path target = fleet.workDir("gw-1").resolve("target.bin");
    String release = fleet.publish("1.0.0", fleet.image("1.0.0", payload, target));
    String rollout = fleet.startRollout(spec(release).set("stages", stages(100)));
    fleet.evaluateRollouts();
    long action = fleet.action("gw-1").get("id").asLong();

    try (SwupdateProcess sw = SwupdateProcess.start(fleet.settings("gw-1", token, Map.of()))) {
      waitUntil(() -> assertThat(status("gw-1")).as(sw::log).isEqualTo("installed"));
      assertThat(target).hasBinaryContent(payload);

      Http.Response cancel = fleet.cancelAction(action, "operator stops the update");
      assertThat(cancel.status()).as(cancel.text()).isEqualTo(200);
      assertThat(cancel.json().get("status").asText()).isEqualTo("canceling");
      assertThat(fleet.poll("gw-1", token).at("/_links/cancelAction/href").asText())
          .endsWith("/cancelAction/" + action);
      await().atMost(PATIENCE).until(sw::pollNow);

      waitUntil(() -> assertThat(status("gw-1")).as(sw::log).isEqualTo("canceled"));
      assertThat(sw.log()).contains("Cancel action available at");
      JsonNode poll = fleet.poll("gw-1", token);
      assertThat(poll.at("/_links/cancelAction").isMissingNode()).isTrue();
      assertThat(poll.at("/_links/deploymentBase").isMissingNode()).isTrue();

      // A reboot does not bring it back: nothing is offered, so swupdate confirms nothing.
      sw.confirm();
      waitUntil(() -> assertThat(count(sw.log(), MAIN_LOOP)).as(sw::log).isEqualTo(2));
      assertThat(sw.log()).contains("No active update available, nothing to report to server");
      String secondRun = sw.log().substring(sw.log().lastIndexOf(MAIN_LOOP));
      long before = count(secondRun, NOTHING_TO_DO);
      await().atMost(PATIENCE).until(sw::pollNow);
      waitUntil(
          () -> {
            String log = sw.log();
            assertThat(count(log.substring(log.lastIndexOf(MAIN_LOOP)), NOTHING_TO_DO))
                .as(sw::log)
                .isGreaterThan(before);
          });
      JsonNode canceled = fleet.action("gw-1");
      assertThat(canceled.get("status").asText()).as(sw::log).isEqualTo("canceled");
      assertThat(canceled.get("last_message").asText()).contains("cancellation acknowledged");
    }
    fleet.evaluateRollouts();
    JsonNode r = fleet.rollout(rollout);
    assertThat(r.at("/stages/0/canceled").asLong()).isEqualTo(1);
    assertThat(r.at("/stages/0/succeeded").asLong()).isZero();
  }

  private static ObjectNode spec(String release) {
    return Http.object().put("release", release);
  }

  private static ArrayNode stages(int... percents) {
    var array = Http.object().arrayNode();
    for (int p : percents) {
      array.add(p);
    }
    return array;
  }

  private String status(String device) {
    return fleet.action(device).get("status").asText();
  }

  private static void waitUntil(ThrowingRunnable assertion) {
    patiently().untilAsserted(assertion);
  }

  private static ConditionFactory patiently() {
    return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200));
  }

  private static long count(String text, String needle) {
    Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
    long n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
