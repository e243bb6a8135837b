package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** SQLite write transactions of one process take turns on its writer lock. */
class JdbiTransactionsTest {

  @Test
  void aSqliteWriteTransactionRunsHoldingTheWriterLockAndReadsDoNot() {
    try (TestDatabase test = TestDatabases.freshSqlite()) {
      JdbiTransactions tx = new JdbiTransactions(test.database());
      ReentrantLock writer = test.database().sqliteWriter().orElseThrow();

      boolean heldWhileWriting = tx.write(r -> writer.isHeldByCurrentThread());
      boolean heldWhileReading = tx.read(r -> writer.isHeldByCurrentThread());
      assertThat(heldWhileWriting).isTrue();
      assertThat(heldWhileReading).isFalse();
      assertThat(writer.isLocked()).as("released after the transaction").isFalse();
    }
  }

  @Test
  void aSqliteWriterQueuesBehindTheOneWritingAndRunsWhenItIsDone() throws Exception {
    try (TestDatabase test = TestDatabases.freshSqlite()) {
      JdbiTransactions tx = new JdbiTransactions(test.database());
      ReentrantLock writer = test.database().sqliteWriter().orElseThrow();
      AtomicBoolean ran = new AtomicBoolean();
      Thread second;
      writer.lock();
      try {
        second = Thread.ofVirtual().start(() -> tx.write(r -> ran.getAndSet(true)));
        while (!writer.hasQueuedThread(second)) {
          Thread.onSpinWait();
        }
        assertThat(ran).as("it waits for its turn").isFalse();
      } finally {
        writer.unlock();
      }
      second.join();
      assertThat(ran).isTrue();
      assertThat(writer.isLocked()).isFalse();
    }
  }

  @Test
  void aWriterThatFailsReleasesTheLock() {
    try (TestDatabase test = TestDatabases.freshSqlite()) {
      JdbiTransactions tx = new JdbiTransactions(test.database());
      assertThatThrownBy(
              () ->
                  tx.write(
                      r -> {
                        throw new IllegalStateException("work failed");
                      }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("work failed");
      assertThat(test.database().sqliteWriter().orElseThrow().isLocked()).isFalse();
    }
  }
}
