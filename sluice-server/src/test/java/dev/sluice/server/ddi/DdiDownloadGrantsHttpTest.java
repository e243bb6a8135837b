package dev.sluice.server.ddi;

import static dev.sluice.server.ddi.DdiFixture.ddi;
import static dev.sluice.server.ddi.DdiFixture.deploymentHref;
import static dev.sluice.server.ddi.DdiFixture.path;
import static dev.sluice.server.ddi.DdiFixture.swupdateFeedback;
import static dev.sluice.server.ddi.DdiFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.release.ReleaseState;
import dev.sluice.server.testing.Http;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device fetching an artifact in Range requests is checked against the database once and then
 * served from a short-lived grant; whatever takes the release away from it ends the grant: on this
 * server at once, and a change made behind this server's back (another server sharing the database)
 * within the grant's lifetime.
 */
class DdiDownloadGrantsHttpTest {
  private static final String ARTIFACT = "boot.img";
  @TempDir Path dataDir;
  private DdiFixture f;

  @BeforeEach
  void start() {
    f = new DdiFixture(dataDir, c -> c);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private String file() {
    return "/softwaremodules/" + f.release + "/artifacts/" + ARTIFACT;
  }

  private Http.Response chunk(String device, String auth, int first, int last) {
    return f.get(ddi(device) + file(), auth, Map.of("Range", "bytes=" + first + "-" + last));
  }

  private void assertChunkServed(String device, String auth, int first, int last) {
    Http.Response r = chunk(device, auth, first, last);
    assertThat(r.status()).as(r.text()).isEqualTo(206);
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(f.files.get(ARTIFACT), first, last + 1));
  }

  @Test
  void consecutiveRangesAreServedWholeAndInOrderUnderOneGrant() {
    String auth = target(f.device("chunky"));
    f.assign("chunky", f.release, "forced", null);
    int size = f.files.get(ARTIFACT).length;
    int step = Math.max(1, size / 5);
    for (int first = 0; first < size; first += step) {
      assertChunkServed("chunky", auth, first, Math.min(size, first + step) - 1);
    }
    assertThat(f.running.server.ddi().downloads().size()).isEqualTo(1);
  }

  @Test
  void aLargeArtifactSentFromTheGrantArrivesWholeAndInRange() {
    byte[] big = dev.sluice.server.testing.Pipeline.generated("big", 1_000_003);
    String release = f.published("3.0.0", Map.of("big.img", big));
    String auth = target(f.device("large"));
    f.assign("large", release, "forced", null);
    String file = ddi("large") + "/softwaremodules/" + release + "/artifacts/big.img";

    // The first download is noted and a grant kept; the later ones are sent from the grant.
    for (int i = 0; i < 3; i++) {
      Http.Response whole = f.get(file, auth);
      assertThat(whole.status()).as(whole.text()).isEqualTo(200);
      assertThat(whole.body()).isEqualTo(big);
    }
    int first = 100_007;
    int last = 900_000;
    Http.Response range = f.get(file, auth, Map.of("Range", "bytes=" + first + "-" + last));
    assertThat(range.status()).isEqualTo(206);
    assertThat(range.header("Content-Range"))
        .isEqualTo("bytes " + first + "-" + last + "/" + big.length);
    assertThat(range.body()).isEqualTo(Arrays.copyOfRange(big, first, last + 1));
    Http.Response head = f.head(file, auth);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(big.length));
    assertThat(head.body()).isEmpty();
  }

  @Test
  void aRangeAfterTheActionIsCanceledIsRefusedAtOnce() {
    String auth = target(f.device("canceled"));
    long action = f.assign("canceled", f.release, "forced", null).get("id").asLong();
    assertChunkServed("canceled", auth, 0, 9);

    Http.Response cancel =
        f.http.postBytes(
            "/api/v1/actions/" + action + "/cancel",
            f.p.adminToken,
            new byte[0],
            "application/json");
    assertThat(cancel.status()).as(cancel.text()).isEqualTo(200);
    assertThat(f.status(action, "canceled")).isEqualTo("canceled");

    assertThat(chunk("canceled", auth, 10, 19).status()).isEqualTo(404);
  }

  @Test
  void aRangeAfterTheReleaseIsRevokedIsRefusedAtOnceEvenToADeviceThatInstalledIt() {
    String auth = target(f.device("installed"));
    long action = f.assign("installed", f.release, "forced", null).get("id").asLong();
    f.get(path(deploymentHref(f.get(ddi("installed"), auth).json())), auth);
    Http.Response closed =
        f.post(
            ddi("installed") + "/deploymentBase/" + action + "/feedback",
            auth,
            swupdateFeedback(action, "closed", "success", 0, 0, "Update Installed."));
    assertThat(closed.status()).as(closed.text()).isEqualTo(200);
    assertChunkServed("installed", auth, 0, 9);

    Http.Response revoked =
        f.http.post(
            "/api/v1/releases/" + f.release + "/revoke",
            f.p.adminToken,
            Http.object().put("reason", "withdrawn"));
    assertThat(revoked.status()).as(revoked.text()).isEqualTo(200);

    assertThat(chunk("installed", auth, 10, 19).status()).isEqualTo(404);
  }

  @Test
  void aRangeAfterTheDeviceTokenIsRevokedOrRotatedOrTheDeviceDecommissionedIsRefusedAtOnce() {
    for (String change : new String[] {"token/revoke", "token/rotate", "decommission"}) {
      String device = "d-" + change.replace('/', '-');
      String auth = target(f.device(device));
      f.assign(device, f.release, "forced", null);
      assertChunkServed(device, auth, 0, 9);

      Http.Response changed =
          f.http.postBytes(
              "/api/v1/devices/" + device + "/" + change,
              f.p.adminToken,
              new byte[0],
              "application/json");
      assertThat(changed.status()).as(changed.text()).isEqualTo(200);

      assertThat(chunk(device, auth, 10, 19).status()).as(change).isEqualTo(401);
    }
  }

  @Test
  void anotherCredentialDoesNotBorrowTheGrant() {
    String auth = target(f.device("owner"));
    f.assign("owner", f.release, "forced", null);
    assertChunkServed("owner", auth, 0, 9);

    assertThat(chunk("owner", target("not-the-token"), 10, 19).status()).isEqualTo(401);
    assertThat(chunk("owner", null, 10, 19).status()).isEqualTo(401);
  }

  @Test
  void aReleaseRevokedThroughAnotherServerIsRefusedOnceTheGrantExpires() {
    String auth = assignedAndFirstChunkServed("elsewhere");

    // Another server sharing the database revokes the release: this server is not told.
    revokeBehindThisServersBack();

    // The grant made for the first chunk is still kept (it may be used for the TTL at most)...
    assertThat(f.running.server.ddi().downloads().size()).isEqualTo(1);
    // ...and once its lifetime has passed, the database is read again.
    f.clock.advance(DownloadGrants.TTL.plusMillis(1));
    assertThat(chunk("elsewhere", auth, 20, 29).status()).isEqualTo(404);
  }

  @Test
  void anExpiredReleaseCheckIsRenewedByOneReadAndKeepsEveryDevicesGrant() {
    String a = assignedAndFirstChunkServed("renew-a");
    String b = assignedAndFirstChunkServed("renew-b");
    var grants = f.running.server.ddi().downloads();
    ReleaseId release = new ReleaseId(f.release);

    f.clock.advance(DownloadGrants.TTL.plusMillis(1));
    assertThat(grants.find(new dev.sluice.core.device.ControllerId("renew-b"), release)).isNull();
    // The first device's next chunk reads the release again; the second device's grant holds too.
    assertChunkServed("renew-a", a, 10, 19);
    assertThat(grants.find(new dev.sluice.core.device.ControllerId("renew-b"), release))
        .isNotNull();
    assertChunkServed("renew-b", b, 10, 19);
  }

  @Test
  void aReleaseRevokedThroughAnotherServerIsRefusedToEveryDeviceWhoseGrantIsStillAlive() {
    String a = assignedAndFirstChunkServed("alive-a");
    String b = assignedAndFirstChunkServed("alive-b");
    revokeBehindThisServersBack();

    // Well within the devices' own grants, but past the release's check.
    f.clock.advance(DownloadGrants.TTL.plusMillis(1));
    for (int i = 0; i < 2; i++) {
      assertThat(chunk("alive-a", a, 10, 19).status()).isEqualTo(404);
      assertThat(chunk("alive-b", b, 10, 19).status()).isEqualTo(404);
    }
  }

  /**
   * Registers {@code device}, assigns it the release and downloads its first chunk (which makes its
   * grant); returns its authorization header.
   */
  private String assignedAndFirstChunkServed(String device) {
    String auth = target(f.device(device));
    f.assign(device, f.release, "forced", null);
    assertChunkServed(device, auth, 0, 9);
    return auth;
  }

  /** Revokes the release as another server sharing the database would: this server is not told. */
  private void revokeBehindThisServersBack() {
    f.transactions.write(
        repos ->
            repos
                .releases()
                .transition(
                    new ReleaseId(f.release),
                    ReleaseState.PUBLISHED,
                    ReleaseState.REVOKED,
                    f.clock.instant()));
  }
}
