package dev.sluice.server.rollout;

import static dev.sluice.server.rollout.RolloutFixture.offered;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.UnitOfWork;
import dev.sluice.core.action.ActionService;
import dev.sluice.core.port.Repositories;
import dev.sluice.core.rollout.GateCheck;
import dev.sluice.core.rollout.RolloutCounters;
import dev.sluice.core.rollout.RolloutEvaluator;
import dev.sluice.server.testing.SimulatedDevice;
import dev.sluice.store.db.Database;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts on PostgreSQL (skipped unless SLUICE_TEST_PG_URL is set; required in CI): the server's
 * evaluator and a second instance's evaluator on the same database race; the lease lets one of them
 * work on the rollout, so every device is offered the release exactly once and the counters agree.
 * An instance killed while it holds the lease (it never releases it) stalls the rollout only until
 * the lease runs out, and one that froze and wakes up after another instance took over writes
 * nothing more. Time is the injected clock's: no test sleeps for the lease.
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

  @Test
  void aRolloutWhoseOwnerWasKilledIsTakenOverWhenItsLeaseRunsOutAndFinishesExactly()
      throws Exception {
    try (TestDatabase db = TestDatabases.freshPostgres();
        RolloutFixture f = onlyEvaluatedByTheTest(db);
        Database second = Database.open(db.jdbcUrl())) {
      List<SimulatedDevice> fleet = f.devices("eu", 30, "eu");
      String id = f.create(f.request("eu", 50, 100));
      f.act(id, "start");
      // Instance A claims the rollout, does part of the evaluation and is killed before its next
      // write: its lease is never released.
      Instance a = new Instance(new JdbiTransactions(second));
      a.killBeforeWrite(3);
      assertThat(evaluator(a, "instance-a", f).runOnce()).isZero();
      assertThat(a.killed()).isTrue();

      // Devices keep polling the survivor, B, which cannot claim the rollout while A's lease runs.
      assertThat(offered(fleet)).isEmpty();
      assertThat(f.running.server.rollouts().runOnce()).as("at once").isZero();
      f.clock.shift(RolloutEvaluator.LEASE.minusSeconds(5));
      assertThat(f.running.server.rollouts().runOnce()).as("within the lease").isZero();
      assertThat(offered(fleet)).isEmpty();

      f.clock.shift(Duration.ofSeconds(6));
      assertThat(f.running.server.rollouts().runOnce()).as("once the lease ran out").isEqualTo(1);

      finishesWithExactCounts(f, fleet, id);
    }
  }

  @Test
  void anOwnerThatFrozePastItsLeaseWritesNothingAfterAnotherInstanceTookOver() throws Exception {
    try (TestDatabase db = TestDatabases.freshPostgres();
        RolloutFixture f = onlyEvaluatedByTheTest(db);
        Database second = Database.open(db.jdbcUrl());
        ExecutorService pool = Executors.newSingleThreadExecutor()) {
      List<SimulatedDevice> fleet = f.devices("eu", 30, "eu");
      String id = f.create(f.request("eu", 50, 100));
      f.act(id, "start");
      // Instance A claims the rollout and freezes (a long pause, a suspended VM) before the write
      // that would carry it on.
      Instance a = new Instance(new JdbiTransactions(second));
      a.pauseBeforeWrite(2);
      Future<Integer> frozen = pool.submit(() -> evaluator(a, "instance-a", f).runOnce());
      assertThat(a.paused.await(30, TimeUnit.SECONDS)).isTrue();

      f.clock.shift(RolloutEvaluator.LEASE.plusSeconds(1));
      assertThat(f.running.server.rollouts().runOnce()).as("B takes over").isEqualTo(1);
      List<SimulatedDevice> stage1 = offered(fleet);
      assertThat(stage1).hasSize(15);

      a.resume.countDown();
      assertThat(frozen.get()).as("A's evaluation is fenced off").isZero();
      assertThat(offered(fleet)).containsExactlyInAnyOrderElementsOf(stage1);
      assertThat(f.stage(id, 1).get("assigned").asLong()).isEqualTo(15);

      finishesWithExactCounts(f, fleet, id);
    }
  }

  /** Instance B: the fixture's server, whose evaluator runs when the test says (not every 5 s). */
  private RolloutFixture onlyEvaluatedByTheTest(TestDatabase db) {
    return new RolloutFixture(
        dataDir, Optional.of(db.jdbcUrl()), config -> config.rolloutInterval(Duration.ofHours(1)));
  }

  /** Stage 1 (15 devices) then stage 2 (15) succeed, every device offered exactly once. */
  private static void finishesWithExactCounts(
      RolloutFixture f, List<SimulatedDevice> fleet, String id) {
    List<SimulatedDevice> stage1 = offered(fleet);
    assertThat(stage1).hasSize(15);
    stage1.forEach(d -> d.install("success"));
    f.evaluate();
    List<SimulatedDevice> stage2 = offered(fleet);
    assertThat(stage2).hasSize(15).doesNotContainAnyElementsOf(stage1);
    stage2.forEach(d -> d.install("success"));
    f.evaluate();

    assertThat(f.state(id)).isEqualTo("finished");
    for (int stage = 1; stage <= 2; stage++) {
      JsonNode counters = f.stage(id, stage);
      assertThat(counters.get("assigned").asLong()).as("stage %d", stage).isEqualTo(15);
      assertThat(counters.get("succeeded").asLong()).as("stage %d", stage).isEqualTo(15);
    }
    for (SimulatedDevice d : fleet) {
      var actions = f.http.get("/api/v1/devices/" + d.id + "/actions", f.operator).json();
      assertThat(actions.path("actions").size()).as(d.id).isEqualTo(1);
    }
  }

  private static RolloutEvaluator evaluator(Instance instance, String owner, RolloutFixture f) {
    return new RolloutEvaluator(
        instance,
        new ActionService<>(new RolloutCounters()),
        GateCheck.NONE,
        f.clock,
        owner,
        (rollout, e) -> {
          if (!(e instanceof Killed)) {
            throw e;
          }
        });
  }

  /** The end of a killed instance: nothing it would do after it reaches the database. */
  private static final class Killed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Killed() {
      super("killed", null, false, false);
    }
  }

  /**
   * Another instance's transactions, which the test kills (from one write on, nothing reaches the
   * database: not even the release of its lease) or freezes before one write.
   */
  private static final class Instance implements UnitOfWork<Repositories> {
    private final UnitOfWork<Repositories> database;
    private final AtomicInteger writes = new AtomicInteger();
    private volatile int killAt = Integer.MAX_VALUE;
    private volatile int pauseAt = Integer.MAX_VALUE;
    private volatile boolean killed;
    final CountDownLatch paused = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);

    Instance(UnitOfWork<Repositories> database) {
      this.database = database;
    }

    void killBeforeWrite(int n) {
      killAt = n;
    }

    void pauseBeforeWrite(int n) {
      pauseAt = n;
    }

    boolean killed() {
      return killed;
    }

    @Override
    public <T> T write(Function<? super Repositories, T> work) {
      int n = writes.incrementAndGet();
      if (n >= killAt) {
        killed = true;
        throw new Killed();
      }
      if (n == pauseAt) {
        paused.countDown();
        try {
          resume.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return database.write(work);
    }

    @Override
    public <T> T read(Function<? super Repositories, T> work) {
      if (killed) {
        throw new Killed();
      }
      return database.read(work);
    }
  }
}
