package dev.sluice.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.SimulatedDevice;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rollout that is over can be deleted (issue 13); one still at work cannot. */
class RolloutDeletionHttpTest {
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
  void aFinishedRolloutIsDeletedAuditedAndItsDevicesKeepTheirHistory() {
    List<SimulatedDevice> fleet = f.devices("eu", 2, "eu");
    String id = f.started(f.request("eu", 100));
    RolloutFixture.offered(fleet).forEach(d -> d.install("success"));
    f.evaluate();
    assertThat(f.state(id)).isEqualTo("finished");

    Http.Response auditorTries = delete(id, f.auditor);
    assertThat(auditorTries.status()).isEqualTo(403);
    Http.Response deleted = delete(id, f.operator);
    assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
    assertThat(f.http.get("/api/v1/rollouts/" + id, f.auditor).status()).isEqualTo(404);
    assertThat(delete(id, f.operator).status()).isEqualTo(404);

    var audit = f.http.get("/api/v1/audit?subject=rollout/" + id, f.p.adminToken);
    assertThat(Pipeline.names(audit.json().get("events"), "action"))
        .contains("rollout.finished", "rollout.deleted");
    Http.Response history =
        f.http.get("/api/v1/devices/" + fleet.get(0).id + "/actions", f.operator);
    assertThat(history.status()).as(history.text()).isEqualTo(200);
    assertThat(history.text()).contains(f.release);
  }

  @Test
  void aRunningRolloutCannotBeDeletedUntilItIsCanceled() {
    f.devices("eu", 3, "eu");
    String id = f.started(f.request("eu", 100));
    Http.Response running = delete(id, f.operator);
    assertThat(running.status()).isEqualTo(409);
    assertThat(running.json().get("detail").asText()).contains("running", "cancel it first");

    f.act(id, "cancel");
    Http.Response canceled = delete(id, f.operator);
    assertThat(canceled.status()).as(canceled.text()).isEqualTo(204);
  }

  @Test
  void aCreatedRolloutIsNotOverAndStays() {
    String id = f.create(f.request("eu", 100));
    assertThat(delete(id, f.operator).status()).isEqualTo(409);
    assertThat(f.state(id)).isEqualTo("created");
  }

  private Http.Response delete(String id, String token) {
    return f.http.send(f.http.request("/api/v1/rollouts/" + id, token).DELETE().build());
  }
}
