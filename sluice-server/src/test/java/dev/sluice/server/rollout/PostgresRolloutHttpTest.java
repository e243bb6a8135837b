package dev.sluice.server.rollout;

import static dev.sluice.server.rollout.RolloutFixture.offered;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.action.ActionService;
import dev.sluice.core.rollout.GateCheck;
import dev.sluice.core.rollout.RolloutCounters;
import dev.sluice.core.rollout.RolloutEvaluator;
import dev.sluice.server.testing.SimulatedDevice;
import dev.sluice.store.db.Database;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts on PostgreSQL (skipped unless SLUICE_TEST_PG_URL is set; required in CI): the server's
 * evaluator and a second instance's evaluator on the same database race; the lease lets one of them
 * work on the rollout, so every device is offered the release exactly once and the counters agree.
 */
class PostgresRolloutHttpTest {
  @TempDir Path dataDir;

  @Test
  void twoInstancesEvaluatingTogetherOfferEachDeviceOnce() throws Exception {
    try (TestDatabase db = TestDatabases.freshPostgres();
        RolloutFixture f = new RolloutFixture(dataDir, Optional.of(db.jdbcUrl()));
        Database second = Database.open(db.jdbcUrl())) {
      List<SimulatedDevice> fleet = f.devices("eu", 30, "eu");
      ObjectNode request = f.request("eu", 50, 100);
      String id = f.create(request);
      f.act(id, "start");
      RolloutEvaluator other =
          new RolloutEvaluator(
              new JdbiTransactions(second),
              new ActionService<>(new RolloutCounters()),
              GateCheck.NONE,
              f.clock,
              "second-instance",
              (rollout, e) -> {
                throw e;
              });

      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> runs = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
        runs.add(
            pool.submit(
                () -> {
                  go.await();
                  return f.running.server.rollouts().runOnce();
                }));
        runs.add(
            pool.submit(
                () -> {
                  go.await();
                  return other.runOnce();
                }));
        go.countDown();
        for (Future<Integer> run : runs) {
          run.get();
        }
      }
      f.evaluate();
      other.runOnce();

      List<SimulatedDevice> stage1 = offered(fleet);
      assertThat(stage1).hasSize(15);
      JsonNode stage = f.stage(id, 1);
      assertThat(stage.get("assigned").asLong()).isEqualTo(15);
      assertThat(stage.get("open").asLong()).isEqualTo(15);
      for (SimulatedDevice d : stage1) {
        var actions = f.http.get("/api/v1/devices/" + d.id + "/actions", f.operator).json();
        assertThat(actions.path("actions").size()).as(d.id).isEqualTo(1);
      }

      stage1.forEach(d -> d.install("success"));
      // The server's own evaluator now: its poll cache learns of its assignments at once.
      f.evaluate();
      assertThat(offered(fleet)).hasSize(15).doesNotContainAnyElementsOf(stage1);
      offered(fleet).forEach(d -> d.install("success"));
      f.evaluate();
      assertThat(f.state(id)).isEqualTo("finished");
      assertThat(f.stage(id, 2).get("succeeded").asLong()).isEqualTo(15);
    }
  }
}
