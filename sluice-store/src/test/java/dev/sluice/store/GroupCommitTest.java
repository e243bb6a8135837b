package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.DeviceChangeFeed;
import dev.sluice.store.jdbi.GroupCommit;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Grouped writes on SQLite: many callers' small units commit (together), a failing unit rolls back
 * alone, and a caller returns only once its work is committed (another connection sees it).
 */
class GroupCommitTest {
  private static final Instant T = Instant.parse("2026-11-25T20:00:00Z");
  private TestDatabase test;
  private JdbiTransactions tx;
  private GroupCommit group;

  @BeforeEach
  void start() {
    test = TestDatabases.freshSqlite();
    tx = new JdbiTransactions(test.database());
    group = new GroupCommit(tx);
  }

  @AfterEach
  void stop() {
    group.close();
    test.close();
  }

  private List<DeviceChangeFeed.Change> changes() {
    return tx.read(repos -> repos.deviceChanges().after(0, 10_000));
  }

  private Set<String> recorded() {
    return changes().stream().map(c -> c.device().value()).collect(Collectors.toSet());
  }

  @Test
  void manyConcurrentUnitsAllCommitAndEachCallerGetsItsResult() throws Exception {
    int n = 500;
    List<Future<String>> results = new ArrayList<>();
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        String id = "dev-" + i;
        results.add(
            callers.submit(
                () ->
                    group.write(
                        repos -> {
                          repos.deviceChanges().record(new ControllerId(id), T);
                          return id;
                        })));
      }
      for (int i = 0; i < n; i++) {
        assertThat(results.get(i).get()).isEqualTo("dev-" + i);
      }
    }
    assertThat(recorded()).hasSize(n).contains("dev-0", "dev-499");
  }

  @Test
  void aFailingUnitRollsBackAloneWhileTheOthersCommit() throws Exception {
    List<Future<?>> results = new ArrayList<>();
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 50; i++) {
        String id = "ok-" + i;
        boolean fail = i == 25;
        results.add(
            callers.submit(
                () ->
                    group.write(
                        repos -> {
                          repos.deviceChanges().record(new ControllerId(id), T);
                          if (fail) {
                            throw new SluiceException.InvalidInput("unit " + id + " is refused");
                          }
                          return null;
                        })));
      }
      for (int i = 0; i < 50; i++) {
        Future<?> r = results.get(i);
        if (i == 25) {
          assertThatThrownBy(r::get)
              .hasCauseInstanceOf(SluiceException.InvalidInput.class)
              .hasMessageContaining("ok-25 is refused");
        } else {
          r.get();
        }
      }
    }
    assertThat(recorded()).hasSize(49).doesNotContain("ok-25");
  }

  @Test
  void aCallerReturnsOnlyAfterItsWorkIsCommitted() {
    for (int i = 0; i < 20; i++) {
      String id = "durable-" + i;
      group.write(
          repos -> {
            repos.deviceChanges().record(new ControllerId(id), T);
            return null;
          });
      // A separate read transaction (another connection) already sees the write.
      assertThat(recorded()).contains(id);
    }
    assertThatThrownBy(
            () ->
                group.write(
                    repos -> {
                      throw new SluiceException.InvalidInput("nothing to write");
                    }))
        .isInstanceOf(SluiceException.InvalidInput.class);
    assertThat(recorded()).hasSize(20);
  }
}
