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
  void aDatabaseMigratedByANewerSluiceIsRefusedClearly(@TempDir Path dir) {
    String url = "jdbc:sqlite:" + dir.resolve("sluice.db");
    try (Database db = Database.open(url)) {
      assertThat(db.dialect()).isEqualTo(Dialect.SQLITE);
    }
    int newest = SchemaHistory.newestMigration(Dialect.SQLITE.migrationFolder()).orElseThrow();
    org.sqlite.SQLiteDataSource file = new org.sqlite.SQLiteDataSource();
    file.setUrl(url);
    // What a newer Sluice's next migration leaves in the history.
    org.jdbi.v3.core.Jdbi.create(file)
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO flyway_schema_history (installed_rank, version, description, type,"
                        + " script, checksum, installed_by, installed_on, execution_time, success)"
                        + " SELECT max(installed_rank) + 1, ?, 'from a newer Sluice', 'SQL', ?, 0,"
                        + " '', max(installed_on), 1, 1 FROM flyway_schema_history",
                    Integer.toString(newest + 1),
                    "V" + (newest + 1) + "__from_a_newer_sluice.sql"));
    assertThatThrownBy(() -> Database.open(url))
        .isInstanceOf(NewerSchemaException.class)
        .hasMessageContaining("schema is at V" + (newest + 1))
        .hasMessageContaining("newer than this Sluice knows (V" + newest + ")");
  }

  @Test
  void aFreshDatabaseWhoseMigrationsFailPartWayKeepsNoneOfThemAndTheNextStartCompletesIt(
      @TempDir Path dir) {
    // The schema history table as Flyway makes it, read from a migrated database.
    List<String> historyDdl;
    try (Database model = Database.open("jdbc:sqlite:" + dir.resolve("model.db"))) {
      historyDdl =
          model
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT sql FROM sqlite_master WHERE tbl_name ="
                                  + " 'flyway_schema_history' AND sql IS NOT NULL ORDER BY type"
                                  + " DESC")
                          .mapTo(String.class)
                          .list());
    }
    // A fresh database (an empty history) where a late migration's table already exists: applying
    // the migrations fails part-way, as a start killed during them would stop part-way.
    String url = "jdbc:sqlite:" + dir.resolve("sluice.db");
    org.sqlite.SQLiteDataSource file = new org.sqlite.SQLiteDataSource();
    file.setUrl(url);
    org.jdbi.v3.core.Jdbi raw = org.jdbi.v3.core.Jdbi.create(file);
    raw.useHandle(
        h -> {
          for (String ddl : historyDdl) {
            h.execute(ddl);
          }
          h.execute("CREATE TABLE console_sessions (id TEXT)");
        });
    assertThatThrownBy(() -> Database.open(url))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot migrate");
    // Nothing of the earlier migrations was kept, and none is recorded as applied.
    assertThat(tables(raw)).containsExactlyInAnyOrder("flyway_schema_history", "console_sessions");
    int recorded =
        raw.withHandle(
            h ->
                h.createQuery("SELECT count(*) FROM flyway_schema_history").mapTo(int.class).one());
    assertThat(recorded).isZero();
    // Once the obstacle is gone the next start applies all of them.
    raw.useHandle(h -> h.execute("DROP TABLE console_sessions"));
    try (Database db = Database.open(url)) {
      assertThat(db.dialect()).isEqualTo(Dialect.SQLITE);
    }
    assertThat(SchemaHistory.isCurrent(file, Dialect.SQLITE)).isTrue();
    assertThat(tables(raw)).contains("certifiers", "console_sessions");
  }

  private static List<String> tables(org.jdbi.v3.core.Jdbi jdbi) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE"
                        + " 'sqlite_%'")
                .mapTo(String.class)
                .list());
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
