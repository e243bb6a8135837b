package dev.sluice.store.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementBuilder;

/**
 * Plain JDBC statements on a JDBI handle's connection, for the few reads so frequent that JDBI's
 * per-statement work (a statement context, argument and mapper lookups, its result iterators)
 * showed in their profile: a poll miss's. On SQLite the statement comes from and goes back to the
 * connection's kept statements ({@link SqliteStatementCache}), as JDBI's would; on PostgreSQL it is
 * prepared on the connection and closed after use (the driver keeps the server-side statement
 * itself). Only for constant SQL: a statement is kept per distinct text.
 */
public final class PlainStatements {
  private PlainStatements() {}

  /** A statement for the SQL on the handle's connection; hand it back with {@link #release}. */
  public static PreparedStatement prepare(Handle handle, String sql) throws SQLException {
    StatementBuilder builder = handle.getStatementBuilder();
    if (builder instanceof SqliteStatementCache.Builder kept) {
      return kept.prepare(sql);
    }
    return handle.getConnection().prepareStatement(sql);
  }

  /** Ends the statement's use: kept for the next use of its SQL where the connection keeps them. */
  public static void release(Handle handle, String sql, PreparedStatement statement)
      throws SQLException {
    StatementBuilder builder = handle.getStatementBuilder();
    if (builder instanceof SqliteStatementCache.Builder kept) {
      kept.close(handle.getConnection(), sql, statement);
    } else {
      statement.close();
    }
  }
}
