package dev.sluice.store.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.Product;
import dev.sluice.core.release.Release;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.store.Fixtures;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two writes that lock the same rows in opposite orders deadlock on PostgreSQL; the server picks
 * one as the victim and aborts it. The victim is run again, so both writes complete and neither
 * caller sees an error (an instance once answered a device 500 this way).
 */
class PostgresDeadlockRetryTest {
  private TestDatabase test;
  private JdbiTransactions tx;
  private Release first;
  private Release second;

  @BeforeEach
  void twoReleases() {
    test = TestDatabases.fresh(Dialect.POSTGRESQL);
    tx = new JdbiTransactions(test.database());
    Certifier lab = Fixtures.certifier("lab");
    Product product = Fixtures.product("acme-phone", List.of(lab), 1);
    first = Fixtures.draft(product.name(), "1.0.0");
    second = Fixtures.draft(product.name(), "1.0.1");
    tx.write(
        repos -> {
          repos.certifiers().insert(lab);
          repos.products().insert(product);
          repos.releases().insert(first);
          repos.releases().insert(second);
          return null;
        });
  }

  @AfterEach
  void close() {
    if (test != null) {
      test.close();
    }
  }

  @Test
  void theVictimOfADeadlockIsRunAgainAndBothWritesComplete() throws Exception {
    CountDownLatch bothHoldTheirFirstLock = new CountDownLatch(2);
    AtomicInteger runs = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CompletableFuture<String> a =
          CompletableFuture.supplyAsync(
              () -> lockBoth(first.id(), second.id(), bothHoldTheirFirstLock, runs), pool);
      CompletableFuture<String> b =
          CompletableFuture.supplyAsync(
              () -> lockBoth(second.id(), first.id(), bothHoldTheirFirstLock, runs), pool);

      assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("locked " + first.id());
      assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo("locked " + second.id());
      assertThat(runs.get())
          .as("one of the two ran again after PostgreSQL aborted it")
          .isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
    assertThat(test.database().activeConnections()).isZero();
  }

  @Test
  void onlyDeadlocksAndSerializationFailuresAreRetried() {
    assertThat(JdbiTransactions.retryable(new java.sql.SQLException("x", "40P01"))).isTrue();
    assertThat(JdbiTransactions.retryable(new java.sql.SQLException("x", "40001"))).isTrue();
    assertThat(
            JdbiTransactions.retryable(
                new RuntimeException(new java.sql.SQLException("unique", "23505"))))
        .isFalse();
    assertThat(JdbiTransactions.retryable(new IllegalStateException("domain"))).isFalse();
    assertThat(JdbiTransactions.retryable(new java.sql.SQLException("no state, as SQLite's")))
        .isFalse();
  }

  private String lockBoth(
      ReleaseId one, ReleaseId other, CountDownLatch bothHoldTheirFirstLock, AtomicInteger runs) {
    return tx.write(
        repos -> {
          runs.incrementAndGet();
          repos.releases().findForUpdate(one).orElseThrow();
          bothHoldTheirFirstLock.countDown();
          try {
            // Only the first run waits: the other side holds its first lock by then.
            bothHoldTheirFirstLock.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          repos.releases().findForUpdate(other).orElseThrow();
          return "locked " + one;
        });
  }
}
