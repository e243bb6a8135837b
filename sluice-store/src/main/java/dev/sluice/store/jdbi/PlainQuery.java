package dev.sluice.store.jdbi;

import dev.sluice.store.StoreException;
import dev.sluice.store.db.PlainStatements;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;

/**
 * A query of constant SQL run as plain JDBC in the handle's transaction, its statement kept where
 * the connection keeps statements ({@link PlainStatements}). For the reads of a poll miss, where
 * JDBI's per-statement work was a fifth of the CPU samples; the rest of the store uses JDBI.
 */
final class PlainQuery {
  /** Reads the current row of the result. */
  @FunctionalInterface
  interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  private PlainQuery() {}

  /** Runs the query with its parameters (all text) and hands every row to {@code reader}. */
  static void forEach(Handle handle, String sql, RowReader reader, String... parameters) {
    try {
      PreparedStatement statement = PlainStatements.prepare(handle, sql);
      try {
        for (int i = 0; i < parameters.length; i++) {
          statement.setString(i + 1, parameters[i]);
        }
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            reader.read(rs);
          }
        }
      } finally {
        PlainStatements.release(handle, sql, statement);
      }
    } catch (SQLException e) {
      throw new StoreException("database operation failed: " + e.getMessage(), e);
    }
  }

  /** Runs a statement that returns no rows ({@code BEGIN}, {@code COMMIT}). */
  static void execute(Handle handle, String sql) {
    try {
      PreparedStatement statement = PlainStatements.prepare(handle, sql);
      try {
        statement.execute();
      } finally {
        PlainStatements.release(handle, sql, statement);
      }
    } catch (SQLException e) {
      throw new StoreException("database operation failed: " + e.getMessage(), e);
    }
  }
}
