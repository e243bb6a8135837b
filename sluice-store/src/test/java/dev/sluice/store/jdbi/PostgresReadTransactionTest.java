package dev.sluice.store.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.product.Certifier;
import dev.sluice.store.Fixtures;
import dev.sluice.store.StoreException;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A read on PostgreSQL is one read-only snapshot: it cannot write, it does not see a write that
 * commits while it runs, and it leaves the pooled connection as it found it for the next write.
 */
class PostgresReadTransactionTest {
  private TestDatabase test;
  private JdbiTransactions tx;

  @BeforeEach
  void open() {
    test = TestDatabases.fresh(Dialect.POSTGRESQL);
    tx = new JdbiTransactions(test.database());
  }

  @AfterEach
  void close() {
    if (test != null) {
      test.close();
    }
  }

  @Test
  void aReadCannotWrite() {
    assertThatThrownBy(
            () ->
                tx.read(
                    repos -> {
                      repos.certifiers().insert(Fixtures.certifier("sneaky"));
                      return null;
                    }))
        .isInstanceOf(StoreException.class);
    assertThat(certifiers()).isZero();
    // The same pooled connections still write.
    for (int i = 0; i < 12; i++) {
      String id = "lab-" + i;
      tx.write(
          repos -> {
            repos.certifiers().insert(Fixtures.certifier(id));
            return null;
          });
    }
    assertThat(certifiers()).isEqualTo(12);
  }

  @Test
  void aReadSeesOneSnapshotWhileAWriteCommits() throws Exception {
    CountDownLatch firstLookDone = new CountDownLatch(1);
    CountDownLatch writeCommitted = new CountDownLatch(1);
    CompletableFuture<List<Integer>> sizes =
        CompletableFuture.supplyAsync(
            () ->
                tx.read(
                    repos -> {
                      int before = repos.certifiers().list().size();
                      firstLookDone.countDown();
                      await(writeCommitted);
                      int after = repos.certifiers().list().size();
                      return List.of(before, after);
                    }));
    await(firstLookDone);
    Certifier lab = Fixtures.certifier("lab");
    tx.write(
        repos -> {
          repos.certifiers().insert(lab);
          return null;
        });
    writeCommitted.countDown();
    assertThat(sizes.get(30, TimeUnit.SECONDS)).containsExactly(0, 0);
    assertThat(certifiers()).isEqualTo(1);
  }

  private int certifiers() {
    return tx.read(repos -> repos.certifiers().list().size());
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
