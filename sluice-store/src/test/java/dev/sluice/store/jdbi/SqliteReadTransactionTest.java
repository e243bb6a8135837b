package dev.sluice.store.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.store.db.Database;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read on SQLite is one snapshot, begun and ended by statements of its own (the contract's
 * tests), and whether it returns or fails it leaves its pooled connection out of any transaction
 * for the next read and write.
 */
class SqliteReadTransactionTest extends ReadTransactionContract {
  @TempDir Path dir;
  private Database opened;

  @Override
  JdbiTransactions transactions() {
    return new JdbiTransactions(open(Database.open("jdbc:sqlite:" + dir.resolve("sluice.db"))));
  }

  @AfterEach
  void close() {
    if (opened != null) {
      opened.close();
    }
  }

  /** One pooled connection, so every read and write below runs on the same one. */
  private Database onOneConnection() {
    return open(Database.open("jdbc:sqlite:" + dir.resolve("sluice.db"), OptionalInt.of(1)));
  }

  private Database open(Database db) {
    opened = db;
    return db;
  }

  @Test
  void aReadThatFailsLeavesItsConnectionOutOfAnyTransaction() {
    Database db = onOneConnection();
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

  @Test
  void readsAndWritesTakeTurnsOnOneConnectionAndEachReadSeesTheWritesBeforeIt() {
    Database db = onOneConnection();
    JdbiTransactions tx = new JdbiTransactions(db);
    for (int i = 1; i <= 5; i++) {
      addCertifier(tx, "lab-" + i);
      assertThat(certifiers(tx)).isEqualTo(i);
    }
    assertThat(db.activeConnections()).isZero();
  }
}
