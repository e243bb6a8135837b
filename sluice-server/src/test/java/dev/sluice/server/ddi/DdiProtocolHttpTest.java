package dev.sluice.server.ddi;

import static dev.sluice.server.ddi.DdiFixture.ddi;
import static dev.sluice.server.ddi.DdiFixture.deploymentHref;
import static dev.sluice.server.ddi.DdiFixture.feedback;
import static dev.sluice.server.ddi.DdiFixture.path;
import static dev.sluice.server.ddi.DdiFixture.swupdateFeedback;
import static dev.sluice.server.ddi.DdiFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceStatus;
import dev.sluice.server.testing.Http;
import dev.sluice.trust.hash.Sha256;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DDI protocol against a real server: exact document shapes, both feedback forms, SWUpdate's
 * real request sequence (with the confirmation after restart), the confirmation policies, cancel,
 * configData and installedBase.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DdiProtocolHttpTest {
  @TempDir static Path dataDir;
  DdiFixture f;

  @BeforeAll
  void start() {
    f = new DdiFixture(dataDir, c -> c.polling(Duration.ofMinutes(5), Duration.ZERO));
  }

  @AfterAll
  void stop() {
    f.close();
  }

  @Test
  void aQuietPollTellsTheSleepAsHhMmSsAndAsksForAttributesOnce() {
    String token = f.device("quiet-1");
    Http.Response poll = f.get(ddi("quiet-1"), target(token));
    assertThat(poll.status()).isEqualTo(200);
    String base = f.http.base().toString().replaceAll("/$", "");
    assertThat(poll.json().toString())
        .isEqualTo(
            "{\"config\":{\"polling\":{\"sleep\":\"00:05:00\"}},\"_links\":{\"configData\":"
                + "{\"href\":\""
                + base
                + "/DEFAULT/controller/v1/quiet-1/configData\"}}}");
    Http.Response again = f.get(ddi("quiet-1"), target(token));
    assertThat(again.body()).isEqualTo(poll.body());
    assertThat(
            f.put(ddi("quiet-1") + "/configData", target(token), "{\"data\":{\"board\":\"b1\"}}")
                .status())
        .isEqualTo(200);
    JsonNode after = f.get(ddi("quiet-1"), target(token)).json();
    // No link at all: hawkBit omits the empty _links.
    assertThat(after.has("_links")).as(after.toString()).isFalse();
  }

  @Test
  void aDeviceRegisteredThroughTheManagementApiPollsWithItsToken() {
    Http.Response registered =
        f.http.post(
            "/api/v1/devices",
            f.p.adminToken,
            Http.object().put("controller_id", "mgmt-reg-1").put("product", DdiFixture.PRODUCT));
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
    String token = registered.json().get("token").asText();
    f.assign("mgmt-reg-1", f.release, "soft", null);
    JsonNode poll = f.get(ddi("mgmt-reg-1"), target(token)).json();
    assertThat(deploymentHref(poll)).isNotNull();
    assertThat(f.running.server.ddi().lastSeen().runOnce()).isPositive();
    JsonNode shown = f.http.get("/api/v1/devices/mgmt-reg-1", f.p.adminToken).json();
    assertThat(shown.get("status").asText()).isEqualTo("pending");
    assertThat(shown.has("last_seen")).isTrue();
  }

  @Test
  void theDeploymentDocumentHasHawkBitsShape() throws Exception {
    String token = f.device("shape-1");
    long actionId = f.assign("shape-1", f.release, "forced", null).get("id").asLong();
    JsonNode poll = f.get(ddi("shape-1"), target(token)).json();
    String href = deploymentHref(poll);
    assertThat(href)
        .matches(
            "http://127\\.0\\.0\\.1:\\d+/DEFAULT/controller/v1/shape-1/deploymentBase/"
                + actionId
                + "\\?c=[0-9a-f]{12}");
    assertThat(f.status(actionId, "shape-1")).isEqualTo("offered");

    JsonNode d = f.get(path(href), target(token)).json();
    assertThat(d.get("id").isTextual()).isTrue();
    assertThat(d.get("id").asText()).isEqualTo(Long.toString(actionId));
    JsonNode deployment = d.get("deployment");
    assertThat(deployment.get("download").asText()).isEqualTo("forced");
    assertThat(deployment.get("update").asText()).isEqualTo("forced");
    assertThat(deployment.has("maintenanceWindow")).isFalse();
    JsonNode chunk = deployment.get("chunks").get(0);
    assertThat(chunk.get("part").asText()).isEqualTo("os");
    assertThat(chunk.get("version").asText()).isEqualTo("1.0.0");
    assertThat(chunk.get("name").asText()).isEqualTo(DdiFixture.PRODUCT);
    assertThat(chunk.get("metadata").get(0).get("key").asText()).isEqualTo("release_id");
    assertThat(chunk.get("artifacts")).hasSize(2);
    for (JsonNode a : chunk.get("artifacts")) {
      byte[] content = f.files.get(a.get("filename").asText());
      assertThat(a.get("size").isIntegralNumber()).isTrue();
      assertThat(a.get("size").asLong()).isEqualTo(content.length);
      assertThat(a.get("hashes").get("sha256").asText()).isEqualTo(Sha256.of(content).hex());
      assertThat(a.get("hashes").get("sha1").asText()).isEqualTo(hex("SHA-1", content));
      assertThat(a.get("hashes").get("md5").asText()).isEqualTo(hex("MD5", content));
      String download = a.get("_links").get("download-http").get("href").asText();
      assertThat(a.get("_links").get("download").get("href").asText()).isEqualTo(download);
      assertThat(a.get("_links").get("md5sum-http").get("href").asText())
          .isEqualTo(download + ".MD5SUM");
      Http.Response file = f.get(path(download), target(token));
      assertThat(file.status()).isEqualTo(200);
      assertThat(file.body()).isEqualTo(content);
    }
    assertThat(f.status(actionId, "shape-1")).isEqualTo("running");
  }

  @Test
  void softAndDownloadOnlyActionsSayAttemptAndSkip() {
    String token = f.device("types-1");
    long soft = f.assign("types-1", f.release, "soft", null).get("id").asLong();
    JsonNode d = f.get(ddi("types-1") + "/deploymentBase/" + soft, target(token)).json();
    assertThat(d.at("/deployment/download").asText()).isEqualTo("attempt");
    assertThat(d.at("/deployment/update").asText()).isEqualTo("attempt");
    long dl = f.assign("types-1", f.release, "downloadonly", null).get("id").asLong();
    assertThat(f.status(soft, "types-1")).isEqualTo("canceling");
    JsonNode d2 = f.get(ddi("types-1") + "/deploymentBase/" + dl, target(token)).json();
    assertThat(d2.at("/deployment/download").asText()).isEqualTo("forced");
    assertThat(d2.at("/deployment/update").asText()).isEqualTo("skip");
    assertThat(
            f.post(
                    ddi("types-1") + "/deploymentBase/" + dl + "/feedback",
                    target(token),
                    feedback("downloaded", "none"))
                .status())
        .isEqualTo(200);
    assertThat(f.status(dl, "types-1")).isEqualTo("succeeded");
  }

  @Test
  void maintenanceWindowsAndDeadlinesDecideHowTheDeviceMayInstall() {
    String token = f.device("win-1");
    String auth = target(token);
    // A window that never opens (31 February): not offered, and a "skipped" report is no success.
    long closed =
        assignWith("win-1", Http.object().put("schedule", "0 0 31 2 *").put("duration", "PT1H"));
    assertThat(deploymentHref(f.get(ddi("win-1"), auth).json())).isNull();
    JsonNode d = f.get(ddi("win-1") + "/deploymentBase/" + closed, auth).json();
    assertThat(d.at("/deployment/maintenanceWindow").asText()).isEqualTo("unavailable");
    assertThat(d.at("/deployment/update").asText()).isEqualTo("skip");
    assertThat(d.at("/deployment/download").asText()).isEqualTo("forced");
    f.post(
        ddi("win-1") + "/deploymentBase/" + closed + "/feedback",
        auth,
        swupdateFeedback(closed, "closed", "success", 0, 0, "Skipped Update."));
    assertThat(f.status(closed, "win-1")).isEqualTo("running");
    // A window open every minute for an hour: offered and available (once the device has
    // acknowledged the cancel of the action it superseded).
    long open =
        assignWith("win-1", Http.object().put("schedule", "* * * * *").put("duration", "PT1H"));
    assertThat(f.get(ddi("win-1"), auth).json().at("/_links/cancelAction/href").asText())
        .endsWith("/cancelAction/" + closed);
    f.post(
        ddi("win-1") + "/cancelAction/" + closed + "/feedback",
        auth,
        feedback("closed", "success"));
    JsonNode d2 = f.get(path(deploymentHref(f.get(ddi("win-1"), auth).json())), auth).json();
    assertThat(d2.get("id").asText()).isEqualTo(Long.toString(open));
    assertThat(d2.at("/deployment/maintenanceWindow").asText()).isEqualTo("available");
    assertThat(d2.at("/deployment/update").asText()).isEqualTo("forced");
    // Timeforced: attempt before the deadline, forced after it.
    String later = f.clock.instant().plus(Duration.ofDays(1)).toString();
    String earlier = f.clock.instant().minus(Duration.ofMinutes(1)).toString();
    for (String[] c : new String[][] {{later, "attempt"}, {earlier, "forced"}}) {
      JsonNode a =
          f.http
              .post(
                  "/api/v1/devices/win-1/actions",
                  f.p.adminToken,
                  Http.object()
                      .put("release_id", f.release)
                      .put("type", "timeforced")
                      .put("forced_at", c[0]))
              .json();
      JsonNode doc = f.get(ddi("win-1") + "/deploymentBase/" + a.get("id").asLong(), auth).json();
      assertThat(doc.at("/deployment/update").asText()).as(c[0]).isEqualTo(c[1]);
      assertThat(doc.at("/deployment/download").asText()).as(c[0]).isEqualTo(c[1]);
      assertThat(doc.has("maintenanceWindow")).isFalse();
    }
  }

  private long assignWith(String device, com.fasterxml.jackson.databind.node.ObjectNode window) {
    Http.Response r =
        f.http.post(
            "/api/v1/devices/" + device + "/actions",
            f.p.adminToken,
            Http.object()
                .put("release_id", f.release)
                .put("type", "forced")
                .set("maintenance_window", window));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    assertThat(r.json().at("/maintenance_window/duration").asText()).isEqualTo("PT1H");
    return r.json().get("id").asLong();
  }

  @Test
  void swupdatesSequenceSucceedsOnlyWithTheConfirmationAfterRestart() {
    String token = f.device("swu-1");
    long id = f.assign("swu-1", f.release, "forced", null).get("id").asLong();
    String auth = target(token);
    JsonNode poll = f.get(ddi("swu-1"), auth).json();
    String dep = path(deploymentHref(poll));
    assertThat(f.get(dep, auth).status()).isEqualTo(200);
    String fb = ddi("swu-1") + "/deploymentBase/" + id + "/feedback";
    Http.Response first =
        f.post(
            fb,
            auth,
            swupdateFeedback(id, "proceeding", "none", 0, 1, "Installing Update Chunk Artifacts."));
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).isEmpty();
    // The installer's log flush: counters that make no sense are accepted.
    assertThat(
            f.post(fb, auth, swupdateFeedback(id, "proceeding", "none", 7, 0, "log line")).status())
        .isEqualTo(200);
    assertThat(
            f.post(fb, auth, swupdateFeedback(id, "proceeding", "none", 1, 1, "Installed Chunk."))
                .status())
        .isEqualTo(200);
    assertThat(f.status(id, "swu-1")).isEqualTo("installed");
    assertThat(f.stored("swu-1").status()).isEqualTo(DeviceStatus.PENDING);
    // Still offered: after the restart SWUpdate learns the action id to confirm from it.
    assertThat(deploymentHref(f.get(ddi("swu-1"), auth).json())).isNotNull();

    // swupdate -c 2 after the restart
    assertThat(f.get(dep, auth).status()).isEqualTo(200);
    assertThat(
            f.post(fb, auth, swupdateFeedback(id, "closed", "success", 0, 0, "Update Installed."))
                .status())
        .isEqualTo(200);
    assertThat(f.status(id, "swu-1")).isEqualTo("succeeded");
    Device device = f.stored("swu-1");
    assertThat(device.status()).isEqualTo(DeviceStatus.IN_SYNC);
    assertThat(device.installedVersion().orElseThrow().value()).isEqualTo("1.0.0");
    assertThat(device.installedRelease().orElseThrow().value()).isEqualTo(f.release);

    JsonNode after = f.get(ddi("swu-1"), auth).json();
    assertThat(deploymentHref(after)).isNull();
    String installed = after.at("/_links/installedBase/href").asText();
    assertThat(installed).endsWith("/installedBase/" + id);
    JsonNode base = f.get(path(installed), auth).json();
    assertThat(base.get("id").asText()).isEqualTo(Long.toString(id));
    assertThat(base.at("/deployment/chunks/0/version").asText()).isEqualTo("1.0.0");
    // A replay of the final report is harmless; other feedback on the closed action is 410.
    assertThat(
            f.post(fb, auth, swupdateFeedback(id, "closed", "success", 0, 0, "Update Installed."))
                .status())
        .isEqualTo(200);
    Http.Response late = f.post(fb, auth, feedback("proceeding", "none"));
    assertThat(late.status()).isEqualTo(410);
    assertThat(f.status(id, "swu-1")).isEqualTo("succeeded");
  }

  @Test
  void aPlainClosedSuccessWaitsForTheVersionUnderRunningVersion() {
    String token = f.device("rv-1");
    long id = f.assign("rv-1", f.release, "forced", "running-version").get("id").asLong();
    String fb = ddi("rv-1") + "/deploymentBase/" + id + "/feedback";
    assertThat(f.post(fb, target(token), feedback("closed", "success")).status()).isEqualTo(200);
    assertThat(f.status(id, "rv-1")).isEqualTo("awaiting_version");
    // The device considers the action done: it is never offered again; configData is asked for,
    // so that the device reports the version it runs.
    JsonNode poll = f.get(ddi("rv-1"), target(token)).json();
    assertThat(deploymentHref(poll)).as(poll.toString()).isNull();
    assertThat(poll.path("_links").has("configData")).as(poll.toString()).isTrue();
    // The same report again is a replay, not a confirmation after restart.
    assertThat(f.post(fb, target(token), feedback("closed", "success")).status()).isEqualTo(200);
    assertThat(f.status(id, "rv-1")).isEqualTo("awaiting_version");
    // The device reports the version it runs (SWUpdate's identify section).
    Http.Response config =
        f.put(
            ddi("rv-1") + "/configData",
            target(token),
            "{\"id\":\"\",\"time\":\"20261125T201150\",\"status\":{\"result\":{\"finished\":\"success\"},"
                + "\"execution\":\"closed\",\"details\":[\"\"]},\"data\":{\"board\":\"b\",\"sluice.version\":\"1.0.0\"}}");
    assertThat(config.status()).isEqualTo(200);
    assertThat(f.status(id, "rv-1")).isEqualTo("succeeded");
    assertThat(f.stored("rv-1").attributes()).containsEntry("sluice.version", "1.0.0");
  }

  @Test
  void ddiSuccessPolicyAcceptsAPlainClosedSuccess() {
    String token = f.device("ds-1");
    long id = f.assign("ds-1", f.release, "soft", "ddi-success").get("id").asLong();
    assertThat(
            f.post(
                    ddi("ds-1") + "/deploymentBase/" + id + "/feedback",
                    target(token),
                    feedback("closed", "success", "done"))
                .status())
        .isEqualTo(200);
    assertThat(f.status(id, "ds-1")).isEqualTo("succeeded");
    assertThat(f.stored("ds-1").installedVersion().orElseThrow().value()).isEqualTo("1.0.0");
  }

  @Test
  void installedBasePutReportsAVersionInstalledOutOfBand() {
    String token = f.device("ib-1");
    long id = f.assign("ib-1", f.release, "forced", null).get("id").asLong();
    // hawkBit's body: the distribution's name (here the product) and version; another name is
    // an unknown distribution (404).
    assertThat(
            f.put(
                    ddi("ib-1") + "/installedBase",
                    target(token),
                    "{\"version\":\"1.0.0\",\"name\":\"x\"}")
                .status())
        .isEqualTo(404);
    assertThat(f.status(id, "ib-1")).isEqualTo("offered");
    String body = "{\"version\":\"1.0.0\",\"name\":\"" + DdiFixture.PRODUCT + "\"}";
    // 201 when it changed something (as hawkBit's new offline assignment), then 200.
    assertThat(f.put(ddi("ib-1") + "/installedBase", target(token), body).status()).isEqualTo(201);
    assertThat(f.status(id, "ib-1")).isEqualTo("succeeded");
    assertThat(f.put(ddi("ib-1") + "/installedBase", target(token), body).status()).isEqualTo(200);
    String other = f.device("ib-2");
    assertThat(
            f.put(ddi("ib-2") + "/installedBase", target(other), "{\"version\":\"0.9.1\"}")
                .status())
        .isEqualTo(201);
    Device d = f.stored("ib-2");
    assertThat(d.installedVersion().orElseThrow().value()).isEqualTo("0.9.1");
    assertThat(d.status()).isEqualTo(DeviceStatus.IN_SYNC);
    assertThat(
            f.put(ddi("ib-2") + "/installedBase", target(other), "{\"version\":\"not a version\"}")
                .status())
        .isEqualTo(400);
  }

  @Test
  void aFailureFailsTheActionAndItIsNoLongerOffered() {
    String token = f.device("fail-1");
    long id = f.assign("fail-1", f.release, "forced", null).get("id").asLong();
    assertThat(
            f.post(
                    ddi("fail-1") + "/deploymentBase/" + id + "/feedback",
                    target(token),
                    swupdateFeedback(id, "closed", "failure", 0, 1, "No suitable .swu image found"))
                .status())
        .isEqualTo(200);
    assertThat(f.status(id, "fail-1")).isEqualTo("failed");
    assertThat(f.stored("fail-1").status()).isEqualTo(DeviceStatus.ERROR);
    assertThat(deploymentHref(f.get(ddi("fail-1"), target(token)).json())).isNull();
  }

  @Test
  void theCancelFlowAsksTheDeviceAndEndsOnItsAcknowledgement() {
    String token = f.device("cancel-1");
    String auth = target(token);
    long id = f.assign("cancel-1", f.release, "soft", null).get("id").asLong();
    f.get(ddi("cancel-1") + "/deploymentBase/" + id, auth);
    Http.Response cancel =
        f.http.post(
            "/api/v1/actions/" + id + "/cancel",
            f.p.adminToken,
            Http.object().put("reason", "wrong build"));
    assertThat(cancel.status()).as(cancel.text()).isEqualTo(200);
    assertThat(cancel.json().get("status").asText()).isEqualTo("canceling");
    JsonNode poll = f.get(ddi("cancel-1"), auth).json();
    String href = poll.at("/_links/cancelAction/href").asText();
    assertThat(href).endsWith("/cancelAction/" + id).doesNotContain("?");
    assertThat(deploymentHref(poll)).isNull();
    JsonNode doc = f.get(path(href), auth).json();
    assertThat(doc.toString())
        .isEqualTo("{\"id\":\"" + id + "\",\"cancelAction\":{\"stopId\":\"" + id + "\"}}");
    Http.Response ack =
        f.post(
            path(href) + "/feedback",
            auth,
            "{ \"id\": "
                + id
                + ", \"time\": \"20261125T201007\", \"status\": { \"result\": { \"finished\": \"success\" }, \"execution\": \"closed\", \"details\" : [ \"cancellation acknowledged.\" ] } }");
    assertThat(ack.status()).isEqualTo(200);
    assertThat(f.status(id, "cancel-1")).isEqualTo("canceled");
    assertThat(f.get(ddi("cancel-1"), auth).json().at("/_links/cancelAction").isMissingNode())
        .isTrue();
    JsonNode audit = f.http.get("/api/v1/audit?subject=action/" + id, f.p.adminToken).json();
    assertThat(dev.sluice.server.testing.Pipeline.names(audit.get("events"), "action"))
        .contains("action.assigned", "action.canceled");
  }

  @Test
  void cancellingAnActionTheDeviceNeverFetchedIsImmediate() {
    f.device("cancel-2");
    long id = f.assign("cancel-2", f.release, "forced", null).get("id").asLong();
    Http.Response cancel =
        f.http.postBytes(
            "/api/v1/actions/" + id + "/cancel", f.p.adminToken, new byte[0], "application/json");
    assertThat(cancel.json().get("status").asText()).isEqualTo("canceled");
    assertThat(f.stored("cancel-2").status()).isEqualTo(DeviceStatus.UNKNOWN);
  }

  @Test
  void configDataMergesReplacesAndRemoves() {
    String token = f.device("cfg-1");
    String cfg = ddi("cfg-1") + "/configData";
    String auth = target(token);
    assertThat(f.put(cfg, auth, "{\"data\":{\"a\":\"1\",\"b\":\"2\"}}").status()).isEqualTo(200);
    assertThat(f.put(cfg, auth, "{\"mode\":\"merge\",\"data\":{\"b\":\"3\",\"c\":4}}").status())
        .isEqualTo(200);
    assertThat(f.stored("cfg-1").attributes())
        .containsExactlyEntriesOf(
            new java.util.TreeMap<>(java.util.Map.of("a", "1", "b", "3", "c", "4")));
    assertThat(f.put(cfg, auth, "{\"mode\":\"remove\",\"data\":{\"a\":\"\"}}").status())
        .isEqualTo(200);
    assertThat(f.stored("cfg-1").attributes()).containsOnlyKeys("b", "c");
    assertThat(f.put(cfg, auth, "{\"mode\":\"replace\",\"data\":{\"z\":\"9\"}}").status())
        .isEqualTo(200);
    assertThat(f.stored("cfg-1").attributes()).containsOnlyKeys("z");
  }

  private static String hex(String algorithm, byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
  }

  static List<String> unused() {
    return List.of();
  }
}
