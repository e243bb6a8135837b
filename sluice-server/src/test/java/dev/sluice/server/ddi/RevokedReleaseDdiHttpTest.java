package dev.sluice.server.ddi;

import static dev.sluice.server.ddi.DdiFixture.ddi;
import static dev.sluice.server.ddi.DdiFixture.deploymentHref;
import static dev.sluice.server.ddi.DdiFixture.path;
import static dev.sluice.server.ddi.DdiFixture.swupdateFeedback;
import static dev.sluice.server.ddi.DdiFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.testing.Http;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revoking a release withdraws it from every device at once, also from plain DDI clients that never
 * read TUF metadata (SWUpdate, RAUC): its open actions are cancelled in the transaction that
 * records the revocation, no device can download its artifacts any more (not even one that
 * installed it), and it cannot be assigned again. Run on SQLite and on PostgreSQL.
 */
class RevokedReleaseDdiHttpTest {
  @TempDir Path dataDir;

  @Test
  void revokingCancelsOpenActionsAndStopsEveryDownloadOnSqlite() {
    try (DdiFixture f = new DdiFixture(dataDir, c -> c)) {
      revokingWithdrawsTheReleaseFromEveryDevice(f);
    }
  }

  @Test
  void revokingCancelsOpenActionsAndStopsEveryDownloadOnPostgres() {
    try (TestDatabase db = TestDatabases.freshPostgres();
        DdiFixture f = new DdiFixture(dataDir, Optional.of(db.jdbcUrl()), c -> c)) {
      revokingWithdrawsTheReleaseFromEveryDevice(f);
    }
  }

  private static void revokingWithdrawsTheReleaseFromEveryDevice(DdiFixture f) {
    String file = "/softwaremodules/" + f.release + "/artifacts/boot.img";
    // offered: assigned, never polled
    String offeredToken = f.device("offered");
    long offered = f.assign("offered", f.release, "forced", null).get("id").asLong();
    // running: fetched its deployment and started the download
    String runningToken = f.device("running");
    long running = f.assign("running", f.release, "forced", null).get("id").asLong();
    String runningAuth = target(runningToken);
    f.get(path(deploymentHref(f.get(ddi("running"), runningAuth).json())), runningAuth);
    assertThat(f.get(ddi("running") + file, runningAuth).status()).isEqualTo(200);
    // installed: finished the update before the revocation
    String installedToken = f.device("installed");
    long installed = f.assign("installed", f.release, "forced", "ddi-success").get("id").asLong();
    String installedAuth = target(installedToken);
    f.get(path(deploymentHref(f.get(ddi("installed"), installedAuth).json())), installedAuth);
    Http.Response closed =
        f.post(
            ddi("installed") + "/deploymentBase/" + installed + "/feedback",
            installedAuth,
            swupdateFeedback(installed, "closed", "success", 0, 0, "Update Installed."));
    assertThat(closed.status()).as(closed.text()).isEqualTo(200);
    assertThat(f.get(ddi("installed") + file, installedAuth).status()).isEqualTo(200);

    Http.Response revoked = revoke(f, "bricks devices with old bootloaders");
    assertThat(revoked.status()).as(revoked.text()).isEqualTo(200);

    // The offered action is gone; the started one is a cancel request the device acknowledges.
    assertThat(f.status(offered, "offered")).isEqualTo("canceled");
    JsonNode offeredPoll = f.get(ddi("offered"), target(offeredToken)).json();
    assertThat(offeredPoll.get("_links").has("deploymentBase")).isFalse();
    assertThat(f.get(ddi("offered") + file, target(offeredToken)).status()).isEqualTo(404);

    assertThat(f.status(running, "running")).isEqualTo("canceling");
    JsonNode runningPoll = f.get(ddi("running"), runningAuth).json();
    assertThat(runningPoll.get("_links").has("deploymentBase")).isFalse();
    assertThat(runningPoll.get("_links").get("cancelAction").get("href").asText())
        .endsWith("/cancelAction/" + running);
    assertThat(f.get(ddi("running") + file, runningAuth).status()).isEqualTo(404);
    assertThat(
            f.get(ddi("running") + file, runningAuth, java.util.Map.of("Range", "bytes=0-9"))
                .status())
        .isEqualTo(404);
    assertThat(f.get(ddi("running") + "/deploymentBase/" + running, runningAuth).status())
        .isEqualTo(404);

    // A device that installed it before cannot fetch it again either.
    assertThat(f.get(ddi("installed") + file, installedAuth).status()).isEqualTo(404);
    assertThat(f.status(installed, "installed")).isEqualTo("succeeded");

    // Nor can it be assigned again.
    f.device("later");
    var body = Http.object().put("release_id", f.release).put("type", "forced");
    Http.Response assign = f.http.post("/api/v1/devices/later/actions", f.p.adminToken, body);
    assertThat(assign.status()).as(assign.text()).isEqualTo(409);

    // The audit trail names the revocation as the reason, once per action.
    List<String> reasons = cancelReasons(f);
    assertThat(reasons)
        .containsExactlyInAnyOrder(
            "release revoked: bricks devices with old bootloaders",
            "release revoked: bricks devices with old bootloaders");

    // Revoking again is the same revocation and cancels nothing more.
    Http.Response again = revoke(f, "asked twice");
    assertThat(again.status()).as(again.text()).isEqualTo(200);
    assertThat(again.json().get("log_index")).isEqualTo(revoked.json().get("log_index"));
    assertThat(cancelReasons(f)).hasSize(2);
  }

  private static Http.Response revoke(DdiFixture f, String reason) {
    return f.http.post(
        "/api/v1/releases/" + f.release + "/revoke",
        f.p.adminToken,
        Http.object().put("reason", reason));
  }

  private static List<String> cancelReasons(DdiFixture f) {
    JsonNode events =
        f.http.get("/api/v1/audit?filter=action==action.canceled", f.p.adminToken).json();
    List<String> reasons = new ArrayList<>();
    for (JsonNode e : events.get("events")) {
      reasons.add(e.get("detail").get("reason").asText());
    }
    return reasons;
  }
}
