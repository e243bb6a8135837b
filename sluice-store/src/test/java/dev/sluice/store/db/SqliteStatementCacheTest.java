package dev.sluice.store.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prepared statements kept per SQLite connection: reuse, and what must never be reused. */
class SqliteStatementCacheTest {

  /** Records the JDBC statement each execution ran on. */
  private static final class Seen implements StatementCustomizer {
    final List<PreparedStatement> statements = new ArrayList<>();

    @Override
    public void beforeExecution(PreparedStatement statement, StatementContext context) {
      statements.add(statement);
    }
  }

  private static int count(Handle h, Seen seen) {
    return h.createQuery("SELECT count(*) FROM t WHERE v >= :min")
        .bind("min", 0)
        .addCustomizer(seen)
        .mapTo(Integer.class)
        .one();
  }

  private static int countOn(Jdbi jdbi, Seen seen) {
    return jdbi.withHandle(h -> count(h, seen));
  }

  private static int smallestValue(Jdbi jdbi) {
    // Reads the first row of several: the statement is done with part way through its rows.
    return jdbi.withHandle(
        h -> h.createQuery("SELECT v FROM t ORDER BY v").mapTo(Integer.class).first());
  }

  private static Map<String, Object> onlyRow(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM t").mapToMap().one());
  }

  @Test
  void theSameSqlOnTheSameConnectionRunsOnTheStatementPreparedTheFirstTime(@TempDir Path dir) {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("a.db"), OptionalInt.of(1))) {
      Jdbi jdbi = db.jdbi();
      jdbi.useHandle(h -> h.execute("CREATE TABLE t (v INTEGER)"));
      jdbi.useHandle(h -> h.execute("INSERT INTO t VALUES (1), (2)"));
      Seen seen = new Seen();
      assertThat(countOn(jdbi, seen)).isEqualTo(2);
      assertThat(countOn(jdbi, seen)).isEqualTo(2);
      assertThat(seen.statements).hasSize(2);
      assertThat(seen.statements.get(1)).isSameAs(seen.statements.get(0));
      assertThat(db.activeConnections()).isZero();
    }
  }

  @Test
  void aPlainStatementIsKeptAndReusedLikeJdbisOwn(@TempDir Path dir) throws SQLException {
    String url = "jdbc:sqlite:" + dir.resolve("a.db");
    try (Database db = Database.open(url, OptionalInt.of(1))) {
      Jdbi jdbi = db.jdbi();
      jdbi.useHandle(h -> h.execute("CREATE TABLE t (v INTEGER)"));
      jdbi.useHandle(h -> h.execute("INSERT INTO t VALUES (1), (2)"));
      String sql = "SELECT v FROM t ORDER BY v";
      List<PreparedStatement> used = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        jdbi.useHandle(
            h -> {
              PreparedStatement statement = PlainStatements.prepare(h, sql);
              used.add(statement);
              // Only the first of two rows is read: the statement is left part way.
              try (var rs = statement.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
              }
              PlainStatements.release(h, sql, statement);
            });
      }
      assertThat(used.get(1)).isSameAs(used.get(0));
      try (Connection other = DriverManager.getConnection(url);
          Statement write = other.createStatement()) {
        write.executeUpdate("DELETE FROM t WHERE v = 1");
        // A checkpoint cannot complete past a reader's snapshot.
        write.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      assertThat(smallestValue(jdbi)).isEqualTo(2);
      assertThat(db.activeConnections()).isZero();
    }
  }

  @Test
  void aKeptStatementHoldsNoReadSnapshotOpen(@TempDir Path dir) throws SQLException {
    String url = "jdbc:sqlite:" + dir.resolve("a.db");
    try (Database db = Database.open(url, OptionalInt.of(1))) {
      Jdbi jdbi = db.jdbi();
      jdbi.useHandle(h -> h.execute("CREATE TABLE t (v INTEGER)"));
      jdbi.useHandle(h -> h.execute("INSERT INTO t VALUES (1), (2), (3)"));
      assertThat(smallestValue(jdbi)).isEqualTo(1);
      try (Connection other = DriverManager.getConnection(url);
          Statement write = other.createStatement()) {
        write.executeUpdate("DELETE FROM t WHERE v = 1");
        // A checkpoint cannot complete past a reader's snapshot.
        write.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      assertThat(smallestValue(jdbi)).isEqualTo(2);
    }
  }

  @Test
  void theSameSqlRunWhileItsStatementIsInUseGetsAStatementOfItsOwn(@TempDir Path dir) {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("a.db"), OptionalInt.of(1))) {
      Jdbi jdbi = db.jdbi();
      jdbi.useHandle(h -> h.execute("CREATE TABLE t (v INTEGER)"));
      jdbi.useHandle(h -> h.execute("INSERT INTO t VALUES (1), (2)"));
      Seen seen = new Seen();
      List<Integer> inner = new ArrayList<>();
      jdbi.useHandle(
          h -> {
            try (Stream<Integer> outer =
                h
                    .createQuery("SELECT v FROM t WHERE v >= :min ORDER BY v")
                    .bind("min", 0)
                    .addCustomizer(seen)
                    .mapTo(Integer.class)
                    .stream()) {
              outer.forEach(v -> inner.add(v * 10 + count(h, seen)));
            }
          });
      assertThat(inner).containsExactly(12, 22);
      assertThat(seen.statements.get(1)).isNotSameAs(seen.statements.get(0));
    }
  }

  @Test
  void aKeptStatementSeesASchemaChangeMadeElsewhere(@TempDir Path dir) throws SQLException {
    String url = "jdbc:sqlite:" + dir.resolve("a.db");
    try (Database db = Database.open(url, OptionalInt.of(1))) {
      Jdbi jdbi = db.jdbi();
      jdbi.useHandle(h -> h.execute("CREATE TABLE t (v INTEGER)"));
      jdbi.useHandle(h -> h.execute("INSERT INTO t VALUES (1)"));
      assertThat(onlyRow(jdbi)).isEqualTo(Map.of("v", 1));
      try (Connection other = DriverManager.getConnection(url);
          Statement change = other.createStatement()) {
        change.executeUpdate("ALTER TABLE t ADD COLUMN w TEXT DEFAULT 'x'");
      }
      assertThat(onlyRow(jdbi)).isEqualTo(Map.of("v", 1, "w", "x"));
    }
  }

  @Test
  void statementsOfAClosedConnectionAreDroppedAndNeverHandedOut(@TempDir Path dir) {
    String url = "jdbc:sqlite:" + dir.resolve("a.db");
    SqliteStatementCache cache = new SqliteStatementCache(8);
    // Every handle on a connection of its own, closed with the handle (as a pool retires one).
    Jdbi jdbi = Jdbi.create(() -> DriverManager.getConnection(url));
    jdbi.setStatementBuilderFactory(cache);
    jdbi.useHandle(h -> h.execute("CREATE TABLE t (v INTEGER)"));
    jdbi.useHandle(h -> h.execute("INSERT INTO t VALUES (1), (2)"));
    Seen seen = new Seen();
    assertThat(countOn(jdbi, seen)).isEqualTo(2);
    assertThat(countOn(jdbi, seen)).isEqualTo(2);
    assertThat(seen.statements.get(1)).isNotSameAs(seen.statements.get(0));
    assertThat(cache.connections()).isEqualTo(1);
  }

  @Test
  void aConnectionKeepsAtMostItsBoundOfStatements(@TempDir Path dir) throws SQLException {
    String url = "jdbc:sqlite:" + dir.resolve("a.db");
    SqliteStatementCache cache = new SqliteStatementCache(2);
    try (Connection connection = DriverManager.getConnection(url)) {
      Jdbi jdbi = Jdbi.create(connection);
      jdbi.setStatementBuilderFactory(cache);
      jdbi.useHandle(
          h -> {
            h.execute("CREATE TABLE t (v INTEGER)");
            h.execute("INSERT INTO t VALUES (1)");
            for (String column : List.of("v", "v + 1", "v + 2", "v + 3")) {
              assertThat(h.createQuery("SELECT " + column + " FROM t").mapTo(Integer.class).one())
                  .isPositive();
            }
          });
      assertThat(cache.keptFor(connection)).isEqualTo(2);
    }
  }

  @Test
  void statementsReturningGeneratedKeysOrTooLongAreNotKept(@TempDir Path dir) throws SQLException {
    String url = "jdbc:sqlite:" + dir.resolve("a.db");
    SqliteStatementCache cache = new SqliteStatementCache(8);
    try (Connection connection = DriverManager.getConnection(url)) {
      Jdbi jdbi = Jdbi.create(connection);
      jdbi.useHandle(h -> h.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)"));
      jdbi.setStatementBuilderFactory(cache);
      long id =
          jdbi.<Long, RuntimeException>withHandle(
              h ->
                  h.createUpdate("INSERT INTO t (v) VALUES (7)")
                      .executeAndReturnGeneratedKeys("id")
                      .mapTo(Long.class)
                      .one());
      String padded =
          "SELECT v FROM t WHERE id = :id"
              + " ".repeat(SqliteStatementCache.MAX_CACHED_SQL_LENGTH)
              + "AND v = 7";
      int value =
          jdbi.<Integer, RuntimeException>withHandle(
              h -> h.createQuery(padded).bind("id", id).mapTo(Integer.class).one());
      assertThat(value).isEqualTo(7);
      assertThat(cache.keptFor(connection)).isZero();
    }
  }

  @Test
  void postgresqlKeepsNoStatementsHereItsDriverDoes() {
    try (TestDatabase test = TestDatabases.freshPostgres()) {
      assertThat(test.database().jdbi().getStatementBuilderFactory())
          .isNotInstanceOf(SqliteStatementCache.class);
    }
  }

  @Test
  void sqliteDatabasesKeepStatements() {
    try (TestDatabase test = TestDatabases.freshSqlite()) {
      assertThat(test.database().jdbi().getStatementBuilderFactory())
          .isInstanceOf(SqliteStatementCache.class);
    }
  }
}
