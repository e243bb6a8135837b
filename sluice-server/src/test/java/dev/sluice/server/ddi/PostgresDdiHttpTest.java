package dev.sluice.server.ddi;

import static dev.sluice.server.ddi.DdiFixture.ddi;
import static dev.sluice.server.ddi.DdiFixture.deploymentHref;
import static dev.sluice.server.ddi.DdiFixture.path;
import static dev.sluice.server.ddi.DdiFixture.swupdateFeedback;
import static dev.sluice.server.ddi.DdiFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.device.DeviceStatus;
import dev.sluice.server.testing.Http;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device API on PostgreSQL: SWUpdate's sequence, a ranged download and a cross-device attempt
 * (skipped unless SLUICE_TEST_PG_URL is set; required in CI).
 */
class PostgresDdiHttpTest {
  @TempDir Path dataDir;

  @Test
  void anUpdateRunsTheSameOnPostgres() {
    try (TestDatabase db = TestDatabases.freshPostgres();
        DdiFixture f = new DdiFixture(dataDir, Optional.of(db.jdbcUrl()), c -> c)) {
      String token = f.device("pg-1");
      String other = f.device("pg-2");
      long id = f.assign("pg-1", f.release, "forced", null).get("id").asLong();
      String auth = target(token);
      String dep = path(deploymentHref(f.get(ddi("pg-1"), auth).json()));
      assertThat(f.get(dep, auth).json().get("id").asText()).isEqualTo(Long.toString(id));
      String file = ddi("pg-1") + "/softwaremodules/" + f.release + "/artifacts/boot.img";
      Http.Response part = f.get(file, auth, Map.of("Range", "bytes=1-2"));
      assertThat(part.status()).isEqualTo(206);
      assertThat(part.body()).hasSize(2);
      String fb = ddi("pg-1") + "/deploymentBase/" + id + "/feedback";
      assertThat(
              f.post(
                      ddi("pg-2") + "/deploymentBase/" + id + "/feedback",
                      target(other),
                      swupdateFeedback(id, "closed", "failure", 0, 1, "x"))
                  .status())
          .isEqualTo(404);
      assertThat(
              f.post(
                      fb,
                      auth,
                      swupdateFeedback(id, "proceeding", "none", 1, 1, "All Chunks Installed."))
                  .status())
          .isEqualTo(200);
      assertThat(f.status(id, "pg-1")).isEqualTo("installed");
      assertThat(
              f.post(fb, auth, swupdateFeedback(id, "closed", "success", 0, 0, "Update Installed."))
                  .status())
          .isEqualTo(200);
      assertThat(f.status(id, "pg-1")).isEqualTo("succeeded");
      assertThat(f.stored("pg-1").status()).isEqualTo(DeviceStatus.IN_SYNC);
      assertThat(f.running.server.ddi().lastSeen().runOnce()).as("pg-1 and pg-2").isEqualTo(2);
      assertThat(f.stored("pg-1").lastSeen()).isPresent();
    }
  }
}
