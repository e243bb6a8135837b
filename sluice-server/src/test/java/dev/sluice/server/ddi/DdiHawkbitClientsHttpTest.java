package dev.sluice.server.ddi;

import static dev.sluice.server.ddi.DdiFixture.ddi;
import static dev.sluice.server.ddi.DdiFixture.deploymentHref;
import static dev.sluice.server.ddi.DdiFixture.feedback;
import static dev.sluice.server.ddi.DdiFixture.path;
import static dev.sluice.server.ddi.DdiFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.action.ActionService;
import dev.sluice.server.testing.Http;
import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the other hawkBit clients need (issue 12): user consent through confirmationBase, the
 * download-only semantics, the chunk part per product, actionHistory and the feedback history, 404
 * for a canceled deployment, and hawkBit's smaller wire details. Every device here speaks DDI over
 * HTTP to a real server, as the clients do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DdiHawkbitClientsHttpTest {
  @TempDir static Path dataDir;
  DdiFixture f;

  @BeforeAll
  void start() {
    f =
        new DdiFixture(
            dataDir, c -> c.polling(Duration.ofMinutes(5), Duration.ZERO).rateLimit(1000, 1000));
  }

  @AfterAll
  void stop() {
    f.close();
  }

  private JsonNode assign(String device, ObjectNode body) {
    Http.Response r = f.http.post("/api/v1/devices/" + device + "/actions", f.p.adminToken, body);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json();
  }

  private ObjectNode assignment(String type) {
    ObjectNode body = Http.object();
    body.put("release_id", f.release);
    body.put("type", type);
    return body;
  }

  private JsonNode history(String device, long action) {
    Http.Response r =
        f.http.get(
            "/api/v1/devices/" + device + "/actions/" + action + "/feedback", f.p.adminToken);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  private String lastMessage(String device, long action) {
    for (JsonNode a :
        f.http
            .get("/api/v1/devices/" + device + "/actions", f.p.adminToken)
            .json()
            .get("actions")) {
      if (a.get("id").asLong() == action) {
        return a.path("last_message").asText("");
      }
    }
    throw new AssertionError("no action " + action);
  }

  @Test
  void theOwnerConfirmsThroughConfirmationBaseAndOnlyThenTheInstallationIsOffered() {
    String token = f.device("consent-ok");
    String auth = target(token);
    long id = assign("consent-ok", assignment("forced").put("consent", true)).get("id").asLong();
    assertThat(f.status(id, "consent-ok")).isEqualTo("waiting_confirmation");

    JsonNode poll = f.get(ddi("consent-ok"), auth).json();
    assertThat(deploymentHref(poll)).as(poll.toString()).isNull();
    String confirmation = poll.path("_links").path("confirmationBase").path("href").asText();
    assertThat(confirmation).contains("/confirmationBase/" + id + "?c=");
    // hawkBit: no deployment, nor feedback on it, before consent; no download either.
    String deployment = ddi("consent-ok") + "/deploymentBase/" + id;
    assertThat(f.get(deployment, auth).status()).isEqualTo(404);
    assertThat(f.post(deployment + "/feedback", auth, feedback("closed", "success")).status())
        .isEqualTo(404);
    assertThat(
            f.get(
                    ddi("consent-ok") + "/softwaremodules/" + f.release + "/artifacts/system.img",
                    auth)
                .status())
        .isEqualTo(404);

    JsonNode asked = f.get(path(confirmation), auth).json();
    assertThat(asked.get("id").asText()).isEqualTo(Long.toString(id));
    assertThat(asked.at("/confirmation/chunks/0/version").asText()).isEqualTo("1.0.0");
    assertThat(asked.at("/confirmation/download").asText()).isEqualTo("forced");
    JsonNode state = f.get(ddi("consent-ok") + "/confirmationBase", auth).json();
    assertThat(state.at("/autoConfirm/active").asBoolean()).isFalse();
    assertThat(state.at("/_links/confirmationBase/href").asText()).isEqualTo(confirmation);

    String answer = ddi("consent-ok") + "/confirmationBase/" + id + "/feedback";
    assertThat(f.post(answer, auth, "{\"confirmation\":\"maybe\"}").status()).isEqualTo(400);
    assertThat(
            f.post(
                    answer,
                    auth,
                    "{\"confirmation\":\"confirmed\",\"details\":[\"owner said yes\"]}")
                .status())
        .isEqualTo(200);
    assertThat(f.status(id, "consent-ok")).isEqualTo("offered");
    poll = f.get(ddi("consent-ok"), auth).json();
    assertThat(deploymentHref(poll)).as(poll.toString()).contains("/deploymentBase/" + id);
    assertThat(poll.path("_links").has("confirmationBase")).isFalse();
    // Not awaiting consent any more: 404, as hawkBit.
    assertThat(f.post(answer, auth, "{\"confirmation\":\"denied\"}").status()).isEqualTo(404);
    assertThat(f.get(path(confirmation), auth).status()).isEqualTo(404);
  }

  @Test
  void aDenialIsRecordedVisibleToTheOperatorAndCountedInTheRollout() {
    String yes = f.device("consent-r1");
    String no = f.device("consent-r2");
    ObjectNode rollout = Http.object();
    rollout.put("release", f.release);
    rollout.put("filter", "id=in=(consent-r1,consent-r2)");
    rollout.putArray("stages").add(100);
    rollout.put("consent", true);
    Http.Response created = f.http.post("/api/v1/rollouts", f.p.adminToken, rollout);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String rolloutId = created.json().get("id").asText();
    assertThat(
            f.http
                .postBytes(
                    "/api/v1/rollouts/" + rolloutId + "/start",
                    f.p.adminToken,
                    new byte[0],
                    "application/json")
                .status())
        .isEqualTo(200);
    f.running.server.rollouts().runOnce();

    JsonNode counts =
        f.http.get("/api/v1/rollouts/" + rolloutId + "/consent", f.p.adminToken).json();
    assertThat(counts.get("waiting").asLong()).as(counts.toString()).isEqualTo(2);
    assertThat(counts.get("denied").asLong()).isZero();

    long yesAction = actionOf(f.get(ddi("consent-r1"), target(yes)).json());
    long noAction = actionOf(f.get(ddi("consent-r2"), target(no)).json());
    assertThat(
            f.post(
                    ddi("consent-r1") + "/confirmationBase/" + yesAction + "/feedback",
                    target(yes),
                    "{\"confirmation\":\"confirmed\"}")
                .status())
        .isEqualTo(200);
    assertThat(
            f.post(
                    ddi("consent-r2") + "/confirmationBase/" + noAction + "/feedback",
                    target(no),
                    "{\"confirmation\":\"denied\",\"code\":7,\"details\":[\"not now, driving\"]}")
                .status())
        .isEqualTo(200);

    assertThat(f.status(noAction, "consent-r2")).isEqualTo("denied");
    assertThat(lastMessage("consent-r2", noAction)).contains("denied").contains("not now, driving");
    JsonNode recorded = history("consent-r2", noAction).get("feedback");
    assertThat(recorded.get(recorded.size() - 1).get("execution").asText())
        .isEqualTo("confirmation-denied");
    counts = f.http.get("/api/v1/rollouts/" + rolloutId + "/consent", f.p.adminToken).json();
    assertThat(counts.get("waiting").asLong()).as(counts.toString()).isZero();
    assertThat(counts.get("denied").asLong()).isEqualTo(1);
    // The denial stays open (the owner may still accept), still asked on the poll.
    assertThat(
            f.get(ddi("consent-r2"), target(no))
                .json()
                .at("/_links/confirmationBase/href")
                .asText())
        .contains("/confirmationBase/" + noAction);
    Http.Response audit = f.http.get("/api/v1/audit?limit=50", f.p.adminToken);
    assertThat(audit.text()).contains("action.consent.denied");
  }

  private static long actionOf(JsonNode poll) {
    String href = poll.at("/_links/confirmationBase/href").asText();
    assertThat(href).as(poll.toString()).isNotEmpty();
    String tail =
        href.substring(href.indexOf("/confirmationBase/") + "/confirmationBase/".length());
    return Long.parseLong(tail.substring(0, tail.indexOf('?')));
  }

  @Test
  void aDownloadOnlyActionSucceedsOnlyWhenTheDeviceDownloaded() {
    // SWUpdate's answer to update: skip, without fetching anything: not a success.
    String skipper = f.device("dlo-skip");
    long skipped = assign("dlo-skip", assignment("downloadonly")).get("id").asLong();
    assertThat(f.get(ddi("dlo-skip") + "/deploymentBase/" + skipped, target(skipper)).status())
        .isEqualTo(200);
    assertThat(
            f.post(
                    ddi("dlo-skip") + "/deploymentBase/" + skipped + "/feedback",
                    target(skipper),
                    feedback("closed", "success", "Skipped Update."))
                .status())
        .isEqualTo(200);
    assertThat(f.status(skipped, "dlo-skip")).isEqualTo("failed");
    assertThat(lastMessage("dlo-skip", skipped))
        .contains("without a download")
        .contains("Skipped Update.");

    // A device that downloads, then reports closed/success: succeeded, nothing installed.
    String getter = f.device("dlo-get");
    long got = assign("dlo-get", assignment("downloadonly")).get("id").asLong();
    Http.Response artifact =
        f.get(
            ddi("dlo-get") + "/softwaremodules/" + f.release + "/artifacts/system.img",
            target(getter));
    assertThat(artifact.status()).isEqualTo(200);
    assertThat(
            f.post(
                    ddi("dlo-get") + "/deploymentBase/" + got + "/feedback",
                    target(getter),
                    feedback("closed", "success"))
                .status())
        .isEqualTo(200);
    assertThat(f.status(got, "dlo-get")).isEqualTo("succeeded");
    assertThat(f.stored("dlo-get").installedVersion()).isEmpty();
    JsonNode recorded = history("dlo-get", got).get("feedback");
    assertThat(recorded.get(0).get("source").asText()).isEqualTo("server");
    assertThat(recorded.get(0).get("execution").asText()).isEqualTo(ActionService.SERVER_DOWNLOAD);

    // rauc-hawkbit-updater reports "downloaded" after checking the file: succeeded.
    String rauc = f.device("dlo-rauc");
    long reported = assign("dlo-rauc", assignment("downloadonly")).get("id").asLong();
    assertThat(
            f.post(
                    ddi("dlo-rauc") + "/deploymentBase/" + reported + "/feedback",
                    target(rauc),
                    feedback("downloaded", "success", "File checksum OK."))
                .status())
        .isEqualTo(200);
    assertThat(f.status(reported, "dlo-rauc")).isEqualTo("succeeded");
  }

  @Test
  void theChunkPartIsTheProductsModuleType() {
    String token = f.device("part-1");
    long id = assign("part-1", assignment("forced")).get("id").asLong();
    String deployment = ddi("part-1") + "/deploymentBase/" + id;
    assertThat(f.get(deployment, target(token)).json().at("/deployment/chunks/0/part").asText())
        .isEqualTo("os");
    String settings = "/api/v1/products/" + DdiFixture.PRODUCT + "/ddi";
    Http.Response bad =
        f.http.putJson(settings, f.p.adminToken, Http.object().put("part", "b App/../"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.text()).contains("part");
    assertThat(
            f.http.putJson(settings, f.p.adminToken, Http.object().put("consent", "yes")).status())
        .isEqualTo(400);
    assertThat(f.http.putJson(settings, null, Http.object().put("part", "bApp")).status())
        .isEqualTo(401);
    Http.Response set = f.http.putJson(settings, f.p.adminToken, Http.object().put("part", "bApp"));
    assertThat(set.status()).as(set.text()).isEqualTo(200);
    assertThat(set.json().get("part").asText()).isEqualTo("bApp");
    assertThat(set.json().get("consent").asBoolean()).isFalse();
    try {
      // Zephyr's client accepts only chunks of part bApp.
      assertThat(f.get(deployment, target(token)).json().at("/deployment/chunks/0/part").asText())
          .isEqualTo("bApp");
      assertThat(f.http.get(settings, f.p.adminToken).json().get("part").asText())
          .isEqualTo("bApp");
      assertThat(
              f.http.putJson("/api/v1/products/nope/ddi", f.p.adminToken, Http.object()).status())
          .isEqualTo(404);
    } finally {
      f.http.putJson(settings, f.p.adminToken, Http.object().put("part", "os"));
    }
  }

  @Test
  void actionHistoryReturnsTheDevicesOwnMessagesNewestFirst() {
    String token = f.device("hist-1");
    long id = assign("hist-1", assignment("forced")).get("id").asLong();
    String fb = ddi("hist-1") + "/deploymentBase/" + id + "/feedback";
    assertThat(f.post(fb, target(token), feedback("proceeding", "none", "Downloading")).status())
        .isEqualTo(200);
    assertThat(
            f.post(
                    fb,
                    target(token),
                    feedback("proceeding", "none", "SW not compatible with hardware"))
                .status())
        .isEqualTo(200);
    String base = ddi("hist-1") + "/deploymentBase/" + id;
    assertThat(f.get(base, target(token)).json().has("actionHistory")).isFalse();
    JsonNode one = f.get(base + "?actionHistory=1", target(token)).json();
    assertThat(one.at("/actionHistory/status").asText()).isEqualTo("RUNNING");
    assertThat(one.at("/actionHistory/messages").size()).isEqualTo(1);
    assertThat(one.at("/actionHistory/messages/0").asText())
        .isEqualTo("SW not compatible with hardware");
    JsonNode all = f.get(base + "?actionHistory=-1", target(token)).json();
    assertThat(all.at("/actionHistory/messages").size()).isEqualTo(2);
    assertThat(all.at("/actionHistory/messages/1").asText()).isEqualTo("Downloading");
    assertThat(f.get(base + "?actionHistory=many", target(token)).status()).isEqualTo(400);

    // The operator reads the same words in the management API.
    JsonNode recorded = history("hist-1", id);
    assertThat(recorded.get("feedback").toString()).contains("SW not compatible with hardware");
    assertThat(
            f.http
                .get("/api/v1/devices/hist-2/actions/" + id + "/feedback", f.p.adminToken)
                .status())
        .isEqualTo(404);
    assertThat(f.http.get("/api/v1/devices/hist-1/actions/" + id + "/feedback", null).status())
        .isEqualTo(401);
  }

  @Test
  void storedFeedbackIsCutAndCappedPerActionKeepingTheFirstAndTheLast() {
    String token = f.device("flood-1");
    long id = assign("flood-1", assignment("forced")).get("id").asLong();
    String fb = ddi("flood-1") + "/deploymentBase/" + id + "/feedback";
    String big = "x".repeat(10_000);
    int sent = ActionService.MAX_FEEDBACK_PER_ACTION + 30;
    for (int i = 0; i < sent; i++) {
      assertThat(f.post(fb, target(token), feedback("proceeding", "none", "n" + i, big)).status())
          .isEqualTo(200);
    }
    JsonNode records = history("flood-1", id).get("feedback");
    assertThat(records.size()).isEqualTo(ActionService.MAX_FEEDBACK_PER_ACTION);
    assertThat(records.get(0).get("body").asText()).contains("\"n0\"");
    assertThat(records.get(ActionService.KEEP_FIRST_FEEDBACK - 1).get("body").asText())
        .contains("\"n" + (ActionService.KEEP_FIRST_FEEDBACK - 1) + "\"");
    assertThat(records.get(ActionService.KEEP_FIRST_FEEDBACK).get("body").asText())
        .contains(
            "\"n"
                + (sent - ActionService.MAX_FEEDBACK_PER_ACTION + ActionService.KEEP_FIRST_FEEDBACK)
                + "\"");
    assertThat(records.get(records.size() - 1).get("body").asText())
        .contains("\"n" + (sent - 1) + "\"");
    for (JsonNode r : records) {
      assertThat(r.get("body").asText().length())
          .isLessThan(ActionService.MAX_STORED_FEEDBACK + 100);
      assertThat(r.get("body").asText()).contains("[cut: ");
    }
  }

  @Test
  void aCanceledOrCancelingActionHasNoDeployment() {
    String token = f.device("cx-1");
    long id = assign("cx-1", assignment("soft")).get("id").asLong();
    String deployment = ddi("cx-1") + "/deploymentBase/" + id;
    assertThat(f.get(deployment, target(token)).status()).isEqualTo(200);
    Http.Response cancel =
        f.http.postBytes(
            "/api/v1/actions/" + id + "/cancel", f.p.adminToken, new byte[0], "application/json");
    assertThat(cancel.json().get("status").asText()).isEqualTo("canceling");
    assertThat(f.get(deployment, target(token)).status()).isEqualTo(404);
    assertThat(
            f.post(
                    ddi("cx-1") + "/cancelAction/" + id + "/feedback",
                    target(token),
                    feedback("closed", "success"))
                .status())
        .isEqualTo(200);
    assertThat(f.status(id, "cx-1")).isEqualTo("canceled");
    assertThat(f.get(deployment, target(token)).status()).isEqualTo(404);
  }

  @Test
  void theSmallerWireDetailsAreHawkbits() {
    String token = f.device("wire-1");
    String auth = target(token);
    assign("wire-1", assignment("forced"));
    // 401 names the device API's schemes.
    Http.Response denied = f.get(ddi("wire-1"), "TargetToken wrong");
    assertThat(denied.status()).isEqualTo(401);
    assertThat(denied.headers().allValues("WWW-Authenticate"))
        .anyMatch(v -> v.startsWith("TargetToken"))
        .anyMatch(v -> v.startsWith("GatewayToken"));
    // The module's artifacts are listed.
    Http.Response list =
        f.get(ddi("wire-1") + "/softwaremodules/" + f.release + "/artifacts", auth);
    assertThat(list.status()).as(list.text()).isEqualTo(200);
    JsonNode system = null;
    for (JsonNode a : list.json()) {
      if (a.get("filename").asText().equals("system.img")) {
        system = a;
      }
    }
    assertThat(system).as(list.text()).isNotNull();
    assertThat(system.at("/_links/download/href").asText()).endsWith("/artifacts/system.img");
    assertThat(f.get(ddi("wire-1") + "/softwaremodules/rel_nope/artifacts", auth).status())
        .isEqualTo(404);
    // If-Match: the ETag (SHA-256) or hawkBit's SHA-1 match; anything else is 412.
    String file = ddi("wire-1") + "/softwaremodules/" + f.release + "/artifacts/system.img";
    String sha256 = Sha256.of(f.files.get("system.img")).hex();
    String sha1 = system.at("/hashes/sha1").asText();
    assertThat(f.get(file, auth, Map.of("If-Match", "\"" + sha256 + "\"")).status()).isEqualTo(200);
    assertThat(f.get(file, auth, Map.of("If-Match", sha1)).status()).isEqualTo(200);
    Http.Response mismatch = f.get(file, auth, Map.of("If-Match", "\"0000\""));
    assertThat(mismatch.status()).isEqualTo(412);
    assertThat(mismatch.headers().firstValue("ETag")).isEmpty();
    // Metadata is never empty, so it is always there.
    long id = actionOf(f, "wire-1", auth);
    JsonNode chunk =
        f.get(ddi("wire-1") + "/deploymentBase/" + id, auth).json().at("/deployment/chunks/0");
    assertThat(chunk.get("metadata").size()).isEqualTo(2);
  }

  private static long actionOf(DdiFixture f, String device, String auth) {
    String href = deploymentHref(f.get(ddi(device), auth).json());
    String tail = href.substring(href.indexOf("/deploymentBase/") + "/deploymentBase/".length());
    return Long.parseLong(tail.substring(0, tail.indexOf('?')));
  }

  @Test
  void aBlobDamagedOnDiskIsA503WithoutArtifactHeaders() throws IOException {
    String token = f.device("blob-1");
    String release2 = f.release2();
    ObjectNode body = Http.object();
    body.put("release_id", release2);
    body.put("type", "forced");
    assign("blob-1", body);
    Http.Response list =
        f.get(ddi("blob-1") + "/softwaremodules/" + release2 + "/artifacts", target(token));
    JsonNode first = list.json().get(0);
    String name = first.get("filename").asText();
    String sha256 = first.at("/hashes/sha256").asText();
    Path blob;
    try (Stream<Path> files = Files.walk(dataDir)) {
      blob = files.filter(p -> p.getFileName().toString().equals(sha256)).findFirst().orElseThrow();
    }
    // The blob file lost its tail on disk: its SHA-256 no longer holds, so it is unavailable
    // (503), never served, and the failure carries no artifact headers.
    byte[] content = Files.readAllBytes(blob);
    Files.write(blob, java.util.Arrays.copyOf(content, content.length / 2));
    Http.Response r =
        f.get(ddi("blob-1") + "/softwaremodules/" + release2 + "/artifacts/" + name, target(token));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.headers().firstValue("ETag")).isEmpty();
    assertThat(r.headers().firstValue("Content-Disposition")).isEmpty();
    assertThat(r.headers().firstValue("Accept-Ranges")).isEmpty();
    assertThat(r.header("Content-Type")).contains("problem+json");
  }
}
