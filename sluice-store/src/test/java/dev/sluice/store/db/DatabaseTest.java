package dev.sluice.store.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.store.StoreException;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening databases; the SQLite connection settings. Shared behaviour is in the contract suite. */
class DatabaseTest {

  @Test
  void unsupportedUrlIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> Database.open("jdbc:mysql://db/sluice?password=hunter2"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("unsupported database URL jdbc:mysql:")
        .hasMessageContaining("jdbc:sqlite:")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void thePoolHoldsTheConfiguredNumberOfConnectionsOrTheDialectsDefault(@TempDir Path dir) {
    String url = "jdbc:sqlite:" + dir.resolve("sluice.db");
    try (Database configured = Database.open(url, java.util.OptionalInt.of(3))) {
      assertThat(configured.poolSize()).isEqualTo(3);
    }
    try (Database defaulted = Database.open(url)) {
      assertThat(defaulted.poolSize()).isEqualTo(Database.SQLITE_POOL_SIZE);
    }
    assertThatThrownBy(() -> Database.open(url, java.util.OptionalInt.of(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 200");
  }

  @Test
  void inMemorySqliteIsRefusedBecauseAPoolWouldSplitIt() {
    assertThatThrownBy(() -> Database.open("jdbc:sqlite::memory:"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("must be a file");
  }

  @Test
  void sqliteInAMissingDirectoryIsRefusedClearly(@TempDir Path dir) {
    assertThatThrownBy(() -> Database.open("jdbc:sqlite:" + dir.resolve("nope/sluice.db")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void sqliteConnectionsUseWalForeignKeysFullSyncAndABusyTimeout() {
    try (TestDatabase test = TestDatabases.freshSqlite()) {
      Database db = test.database();
      assertThat(db.dialect()).isEqualTo(Dialect.SQLITE);
      db.jdbi()
          .useHandle(
              h -> {
                assertThat(pragma(h, "journal_mode")).isEqualTo("wal");
                assertThat(pragma(h, "foreign_keys")).isEqualTo("1");
                assertThat(pragma(h, "synchronous")).isEqualTo("2");
                assertThat(pragma(h, "busy_timeout"))
                    .isEqualTo(String.valueOf(Database.SQLITE_BUSY_TIMEOUT_MILLIS));
              });
      assertThat(db.activeConnections()).isZero();
    }
  }

  @Test
  void reopeningAMigratedDatabaseKeepsItsData(@TempDir Path dir) {
    String url = "jdbc:sqlite:" + dir.resolve("sluice.db");
    try (Database db = Database.open(url)) {
      db.jdbi()
          .useHandle(
              h ->
                  h.execute(
                      "INSERT INTO certifiers (id, display_name, created_at) VALUES ('c', 'C', 1)"));
    }
    try (Database db = Database.open(url)) {
      int certifiers =
          db.jdbi()
              .withHandle(
                  h -> h.createQuery("SELECT count(*) FROM certifiers").mapTo(Integer.class).one());
      assertThat(certifiers).isEqualTo(1);
    }
  }

  @Test
  void onlyAHistoryEndingWithTheNewestMigrationSkipsFlyway(@TempDir Path dir) {
    String url = "jdbc:sqlite:" + dir.resolve("sluice.db");
    org.sqlite.SQLiteDataSource file = new org.sqlite.SQLiteDataSource();
    file.setUrl(url);
    int newest = SchemaHistory.newestMigration(Dialect.SQLITE.migrationFolder()).orElseThrow();
    assertThat(newest).isGreaterThanOrEqualTo(13);
    // A fresh database has no history: Flyway runs.
    assertThat(SchemaHistory.isCurrent(file, Dialect.SQLITE)).isFalse();
    try (Database db = Database.open(url)) {
      assertThat(db.dialect()).isEqualTo(Dialect.SQLITE);
    }
    assertThat(SchemaHistory.isCurrent(file, Dialect.SQLITE)).isTrue();
    // A restart on the current schema opens without Flyway and keeps working.
    try (Database db = Database.open(url)) {
      int certifiers =
          db.jdbi()
              .withHandle(
                  h -> h.createQuery("SELECT count(*) FROM certifiers").mapTo(Integer.class).one());
      assertThat(certifiers).isZero();
    }
    // A failed newest migration is Flyway's to report, never skipped.
    org.jdbi.v3.core.Jdbi.create(file)
        .useHandle(
            h ->
                h.execute(
                    "UPDATE flyway_schema_history SET success = 0 WHERE version = ?",
                    Integer.toString(newest)));
    assertThat(SchemaHistory.isCurrent(file, Dialect.SQLITE)).isFalse();
    assertThatThrownBy(() -> Database.open(url))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot migrate");
    // A history that stops before the newest migration (an older Sluice's database) is migrated.
    org.jdbi.v3.core.Jdbi.create(file)
        .useHandle(
            h ->
                h.execute(
                    "DELETE FROM flyway_schema_history WHERE version = ?",
                    Integer.toString(newest)));
    assertThat(SchemaHistory.isCurrent(file, Dialect.SQLITE)).isFalse();
  }

  @Test
  void concurrentSqliteWriteTransactionsQueueInsteadOfFailingOnLockUpgrade() throws Exception {
    // With DEFERRED transactions, two that both read and then write fail with SQLITE_BUSY on the
    // lock upgrade, whatever the busy timeout; IMMEDIATE makes the second wait for the first.
    try (TestDatabase test = TestDatabases.freshSqlite()) {
      Database db = test.database();
      db.jdbi()
          .useHandle(
              h ->
                  h.execute(
                      "INSERT INTO products (name, description, threshold, max_artifact_size,"
                          + " created_at) VALUES ('p', '', 1, 10, 0)"));
      int writers = 6;
      int incrementsEach = 25;
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> results = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
        for (int w = 0; w < writers; w++) {
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < incrementsEach; i++) {
                      db.jdbi()
                          .useTransaction(
                              h -> {
                                int threshold =
                                    h.createQuery("SELECT threshold FROM products WHERE name = 'p'")
                                        .mapTo(Integer.class)
                                        .one();
                                h.createUpdate(
                                        "UPDATE products SET threshold = :t WHERE name = 'p'")
                                    .bind("t", threshold + 1)
                                    .execute();
                              });
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> result : results) {
          result.get();
        }
      }
      int threshold =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT threshold FROM products WHERE name = 'p'")
                          .mapTo(Integer.class)
                          .one());
      assertThat(threshold).isEqualTo(1 + writers * incrementsEach);
      assertThat(db.activeConnections()).isZero();
    }
  }

  private static String pragma(Handle h, String name) {
    return h.createQuery("PRAGMA " + name).mapTo(String.class).one();
  }
}
