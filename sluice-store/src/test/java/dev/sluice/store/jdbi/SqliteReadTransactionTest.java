package dev.sluice.store.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.product.Certifier;
import dev.sluice.store.Fixtures;
import dev.sluice.store.db.Database;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read on SQLite is one snapshot, begun and ended by statements of its own: it does not see a
 * write that commits while it runs, and whether it returns or fails it leaves its pooled connection
 * out of any transaction for the next read and write.
 */
class SqliteReadTransactionTest {

  /** One pooled connection, so every read and write below runs on the same one. */
  private static Database onOneConnection(Path dir) {
    return Database.open("jdbc:sqlite:" + dir.resolve("sluice.db"), OptionalInt.of(1));
  }

  private static void addCertifier(JdbiTransactions tx, String id) {
    Certifier certifier = Fixtures.certifier(id);
    tx.write(
        repos -> {
          repos.certifiers().insert(certifier);
          return null;
        });
  }

  private static int certifiers(JdbiTransactions tx) {
    return tx.read(repos -> repos.certifiers().list().size());
  }

  @Test
  void aReadSeesOneSnapshotWhileAWriteCommits(@TempDir Path dir) throws Exception {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("sluice.db"))) {
      JdbiTransactions tx = new JdbiTransactions(db);
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
  }

  @Test
  void aReadThatFailsLeavesItsConnectionOutOfAnyTransaction(@TempDir Path dir) {
    try (Database db = onOneConnection(dir)) {
      JdbiTransactions tx = new JdbiTransactions(db);
      assertThatThrownBy(
              () ->
                  tx.read(
                      repos -> {
                        repos.certifiers().list();
                        throw new IllegalStateException("the work failed");
                      }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the work failed");
      // A snapshot left open on the one connection would hide this write from the next read.
      addCertifier(tx, "lab");
      assertThat(certifiers(tx)).isEqualTo(1);
      assertThat(db.activeConnections()).isZero();
    }
  }

  @Test
  void readsAndWritesTakeTurnsOnOneConnectionAndEachReadSeesTheWritesBeforeIt(@TempDir Path dir) {
    try (Database db = onOneConnection(dir)) {
      JdbiTransactions tx = new JdbiTransactions(db);
      for (int i = 1; i <= 5; i++) {
        addCertifier(tx, "lab-" + i);
        assertThat(certifiers(tx)).isEqualTo(i);
      }
      assertThat(db.activeConnections()).isZero();
    }
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
