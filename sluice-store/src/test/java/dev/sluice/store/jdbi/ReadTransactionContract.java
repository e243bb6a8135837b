package dev.sluice.store.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.product.Certifier;
import dev.sluice.store.Fixtures;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a read transaction is on every database: one snapshot, which does not see a write that
 * commits while it runs. Run on SQLite and on a real PostgreSQL server.
 */
abstract class ReadTransactionContract {

  /** Transactions on a fresh database of the dialect under test, for this test. */
  abstract JdbiTransactions transactions();

  @Test
  void aReadSeesOneSnapshotWhileAWriteCommits() throws Exception {
    JdbiTransactions tx = transactions();
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
    addCertifier(tx, "lab");
    writeCommitted.countDown();
    assertThat(sizes.get(30, TimeUnit.SECONDS)).containsExactly(0, 0);
    assertThat(certifiers(tx)).isEqualTo(1);
  }

  static void addCertifier(JdbiTransactions tx, String id) {
    Certifier certifier = Fixtures.certifier(id);
    tx.write(
        repos -> {
          repos.certifiers().insert(certifier);
          return null;
        });
  }

  static int certifiers(JdbiTransactions tx) {
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
