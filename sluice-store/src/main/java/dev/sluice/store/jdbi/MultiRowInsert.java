package dev.sluice.store.jdbi;

import dev.sluice.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collections;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Inserts many rows with multi-row {@code INSERT … VALUES (…),(…)} statements of a few thousand
 * parameters each, on the transaction's own connection: for bulk registration, where one prepared
 * statement execution per row (and JDBI's per-binding work) dominates the time.
 */
final class MultiRowInsert {
  /** Well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement. */
  private static final int MAX_PARAMETERS = 4000;

  private final Handle handle;
  private final String table;
  private final List<String> columns;
  private final int[] sqlTypes;
  private final String suffix;

  /**
   * @param sqlTypes the {@link Types} of each column (for nulls)
   * @param ignoreConflicts append {@code ON CONFLICT DO NOTHING}
   */
  MultiRowInsert(
      Handle handle, String table, List<String> columns, int[] sqlTypes, boolean ignoreConflicts) {
    this.handle = handle;
    this.table = table;
    this.columns = List.copyOf(columns);
    this.sqlTypes = sqlTypes.clone();
    this.suffix = ignoreConflicts ? " ON CONFLICT DO NOTHING" : "";
  }

  /** Inserts the rows (each an array in column order); returns how many rows were inserted. */
  int insert(List<Object[]> rows) {
    if (rows.isEmpty()) {
      return 0;
    }
    int perStatement = Math.max(1, MAX_PARAMETERS / columns.size());
    Connection connection = handle.getConnection();
    int inserted = 0;
    try (PreparedStatement full =
        connection.prepareStatement(sql(Math.min(perStatement, rows.size())))) {
      int from = 0;
      for (; from + perStatement <= rows.size(); from += perStatement) {
        inserted += execute(full, rows.subList(from, from + perStatement));
      }
      if (from < rows.size()) {
        List<Object[]> rest = rows.subList(from, rows.size());
        if (rest.size() == perStatement || from == 0) {
          inserted += execute(full, rest);
        } else {
          try (PreparedStatement tail = connection.prepareStatement(sql(rest.size()))) {
            inserted += execute(tail, rest);
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreException("database operation failed: " + e.getMessage(), e);
    }
    return inserted;
  }

  /**
   * Inserts the rows like {@link #insert} and returns the generated {@code column} of each, in the
   * rows' order: the keys each statement returns, sorted, as both databases number a statement's
   * rows in the order of its {@code VALUES} list (a sequence's or rowid's next values), and later
   * statements' keys are larger.
   */
  List<Long> insertReturning(List<Object[]> rows, String column) {
    List<Long> keys = new java.util.ArrayList<>(rows.size());
    if (rows.isEmpty()) {
      return keys;
    }
    int perStatement = Math.max(1, MAX_PARAMETERS / columns.size());
    Connection connection = handle.getConnection();
    try {
      for (int from = 0; from < rows.size(); from += perStatement) {
        List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + perStatement));
        try (PreparedStatement statement =
            connection.prepareStatement(sql(chunk.size()) + " RETURNING " + column)) {
          bind(statement, chunk);
          List<Long> chunkKeys = new java.util.ArrayList<>(chunk.size());
          try (java.sql.ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              chunkKeys.add(rs.getLong(1));
            }
          }
          if (chunkKeys.size() != chunk.size()) {
            throw new StoreException(
                "database operation failed: "
                    + chunk.size()
                    + " rows inserted into "
                    + table
                    + " but "
                    + chunkKeys.size()
                    + " keys returned");
          }
          java.util.Collections.sort(chunkKeys);
          keys.addAll(chunkKeys);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("database operation failed: " + e.getMessage(), e);
    }
    return keys;
  }

  private int execute(PreparedStatement statement, List<Object[]> rows) throws SQLException {
    bind(statement, rows);
    return statement.executeUpdate();
  }

  private void bind(PreparedStatement statement, List<Object[]> rows) throws SQLException {
    int index = 1;
    for (Object[] row : rows) {
      for (int c = 0; c < columns.size(); c++) {
        Object value = row[c];
        if (value == null) {
          statement.setNull(index++, sqlTypes[c]);
        } else if (value instanceof Long l) {
          statement.setLong(index++, l);
        } else {
          statement.setString(index++, (String) value);
        }
      }
    }
  }

  private String sql(int rowCount) {
    String row = "(" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
    return "INSERT INTO "
        + table
        + " ("
        + String.join(", ", columns)
        + ") VALUES "
        + String.join(", ", Collections.nCopies(rowCount, row))
        + suffix;
  }
}
