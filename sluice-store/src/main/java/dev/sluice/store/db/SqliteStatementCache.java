package dev.sluice.store.db;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/**
 * Prepared statements kept per pooled SQLite connection, for JDBI ({@link
 * org.jdbi.v3.core.Jdbi#setStatementBuilderFactory}). The SQLite driver prepares every statement
 * anew ({@code sqlite3_prepare_v2}: parsing and planning), and neither it nor the pool keeps them;
 * a profile of poll misses put a large share of their time there. Here a statement JDBI is done
 * with is reset, its parameters cleared, and kept for the next use of the same SQL on the same
 * connection, up to {@code perConnection} statements per connection (the least recently used one is
 * closed first).
 *
 * <p>What keeps this correct:
 *
 * <ul>
 *   <li>A kept statement is reset ({@code sqlite3_reset}) before it is kept, so it never holds a
 *       read snapshot open between uses, whatever JDBI closed before.
 *   <li>A statement is taken out of the cache while in use, so the same SQL run twice at once (a
 *       query inside another's iteration) gets a second statement.
 *   <li>Statements are prepared on the physical connection, which outlives the pool's per-borrow
 *       proxy; when the pool closes a connection (its lifetime ended, or the pool closed), the
 *       driver finalizes its statements: a closed kept statement is never handed out, and the cache
 *       of a closed connection is dropped when the next connection comes.
 *   <li>A schema change recompiles a kept statement (SQLite's prepare_v2 statements do so on their
 *       next step).
 *   <li>Only plain statements are kept: one that returns generated keys or updatable results, and
 *       calls, are prepared and closed as JDBI's default builder does; so is SQL longer than
 *       {@value #MAX_CACHED_SQL_LENGTH} characters (multi-row inserts, long IN lists), which is
 *       rarely run twice.
 * </ul>
 *
 * <p>PostgreSQL does not use this: its driver keeps server-side prepared statements per connection
 * itself.
 */
final class SqliteStatementCache implements StatementBuilderFactory {
  /** SQL longer than this is prepared and closed each time. */
  static final int MAX_CACHED_SQL_LENGTH = 2048;

  private final int perConnection;
  private final Map<SQLiteConnection, Kept> byConnection = new ConcurrentHashMap<>();

  SqliteStatementCache(int perConnection) {
    if (perConnection < 1) {
      throw new IllegalArgumentException("a statement cache keeps at least one statement");
    }
    this.perConnection = perConnection;
  }

  @Override
  public StatementBuilder createStatementBuilder(Connection connection) {
    SQLiteConnection physical;
    try {
      physical = connection.unwrap(SQLiteConnection.class);
    } catch (SQLException e) {
      throw new IllegalStateException("a SQLite database handed out a foreign connection", e);
    }
    Kept kept = byConnection.get(physical);
    if (kept == null) {
      dropClosedConnections();
      kept = byConnection.computeIfAbsent(physical, c -> new Kept(perConnection));
    }
    return new Builder(physical, kept);
  }

  /** How many statements are kept for the connection (tests). */
  int keptFor(Connection connection) throws SQLException {
    Kept kept = byConnection.get(connection.unwrap(SQLiteConnection.class));
    return kept == null ? 0 : kept.size();
  }

  /** How many connections have statements kept (tests). */
  int connections() {
    return byConnection.size();
  }

  private void dropClosedConnections() {
    byConnection
        .entrySet()
        .removeIf(
            e -> {
              if (!closed(e.getKey())) {
                return false;
              }
              e.getValue().closeAll();
              return true;
            });
  }

  private static boolean closed(Connection connection) {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  /** One connection's kept statements, by SQL, least recently used first. */
  private static final class Kept {
    private final LinkedHashMap<String, PreparedStatement> statements;

    Kept(int capacity) {
      this.statements =
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
              if (size() <= capacity) {
                return false;
              }
              closeQuietly(eldest.getValue());
              return true;
            }
          };
    }

    /** The kept statement for the SQL, taken out of the cache; null if none is kept. */
    synchronized PreparedStatement take(String sql) {
      return statements.remove(sql);
    }

    /** Keeps the statement unless one is already kept for the SQL (then it is closed). */
    synchronized void give(String sql, PreparedStatement statement) {
      if (statements.putIfAbsent(sql, statement) != null) {
        closeQuietly(statement);
      }
    }

    synchronized int size() {
      return statements.size();
    }

    synchronized void closeAll() {
      statements.values().forEach(Kept::closeQuietly);
      statements.clear();
    }

    private static void closeQuietly(Statement statement) {
      try {
        statement.close();
      } catch (SQLException e) {
        // Finalizing a statement of a closed connection: the driver already did.
      }
    }
  }

  /** A handle's statement builder: takes statements from and returns them to its connection's. */
  static final class Builder implements StatementBuilder {
    private final DefaultStatementBuilder plain = new DefaultStatementBuilder();
    private final SQLiteConnection physical;
    private final Kept kept;

    /** The statements this handle took from the cache or prepared for it, with their SQL. */
    private final Map<Statement, String> handedOut = new IdentityHashMap<>();

    Builder(SQLiteConnection physical, Kept kept) {
      this.physical = physical;
      this.kept = kept;
    }

    @Override
    public Statement create(Connection connection, StatementContext context) throws SQLException {
      return plain.create(connection, context);
    }

    @Override
    public PreparedStatement create(Connection connection, String sql, StatementContext context)
        throws SQLException {
      if (!cacheable(sql, context)) {
        return plain.create(connection, sql, context);
      }
      return prepare(sql);
    }

    /**
     * A kept statement for plain JDBC use ({@link PlainStatements}); give it back to {@link
     * #close}.
     */
    PreparedStatement prepare(String sql) throws SQLException {
      PreparedStatement statement = kept.take(sql);
      while (statement != null && statement.isClosed()) {
        statement = kept.take(sql);
      }
      if (statement == null) {
        statement =
            physical.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      }
      handedOut.put(statement, sql);
      return statement;
    }

    @Override
    public CallableStatement createCall(Connection connection, String sql, StatementContext context)
        throws SQLException {
      return plain.createCall(connection, sql, context);
    }

    @Override
    public void close(Connection connection, String sql, Statement statement) throws SQLException {
      if (statement == null) {
        return;
      }
      // JDBI names the statement by its template here; it was prepared (and is kept) by its SQL.
      String preparedSql = handedOut.remove(statement);
      if (preparedSql == null
          || !(statement instanceof CoreStatement core)
          || statement.isClosed()) {
        statement.close();
        return;
      }
      PreparedStatement prepared = (PreparedStatement) statement;
      try {
        // Ends the statement's read of the database (a SELECT stepped part way holds a snapshot).
        core.pointer.safeRunInt(DB::reset);
        prepared.clearParameters();
        prepared.clearBatch();
      } catch (SQLException e) {
        statement.close();
        return;
      }
      kept.give(preparedSql, prepared);
    }

    private static boolean cacheable(String sql, StatementContext context) {
      return sql.length() <= MAX_CACHED_SQL_LENGTH
          && !context.isReturningGeneratedKeys()
          && !context.isConcurrentUpdatable();
    }
  }
}
