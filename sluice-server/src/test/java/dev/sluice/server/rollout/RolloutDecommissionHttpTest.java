package dev.sluice.server.rollout;

import static dev.sluice.server.rollout.RolloutFixture.offered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.SimulatedDevice;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A decommissioned device leaves the stages of a rollout still to come; its history stays. */
class RolloutDecommissionHttpTest {
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
  void aDecommissionedDeviceIsNotAssignedInALaterStage() {
    List<SimulatedDevice> fleet = f.devices("eu", 10, "eu");
    String id = f.started(f.request("eu", 50, 100));
    List<SimulatedDevice> first = offered(fleet);
    assertThat(first).hasSize(5);
    SimulatedDevice later =
        fleet.stream().filter(d -> !first.contains(d)).findFirst().orElseThrow();

    Http.Response r =
        f.http.post("/api/v1/devices/" + later.id + "/decommission", f.operator, Http.object());
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    first.forEach(d -> d.install("success"));
    f.evaluate();

    List<SimulatedDevice> rest =
        fleet.stream().filter(d -> !first.contains(d) && d != later).toList();
    assertThat(offered(rest)).hasSize(4);
    assertThat(f.stage(id, 2).get("canceled").asLong())
        .as("the decommissioned device is skipped, and counted as canceled")
        .isEqualTo(1);
    offered(rest).forEach(d -> d.install("success"));
    f.evaluate();
    assertThat(f.state(id)).isEqualTo("finished");
    Http.Response shown = f.http.get("/api/v1/devices/" + later.id, f.auditor);
    assertThat(shown.json().has("decommissioned_at")).isTrue();
  }
}
