package dev.sluice.server.upgrade;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies the rows of a current SQLite database into a database at an earlier schema version (SQLite
 * or PostgreSQL): every table the earlier schema has, restricted to the columns it has, parents
 * before children (the order the migrations created the tables in). What the current server wrote
 * (signed log entries, TUF metadata, publications, rollouts) thus becomes a database as that schema
 * held it; what the schema had no place for is left out, as it was then.
 */
final class RowCopy {
  /** Tables a migration seeds with a row of its own (replaced by the copied row). */
  private static final List<String> SEEDED = List.of("log_state");

  private RowCopy() {}

  /** A target column: its name and, on PostgreSQL, its type (to convert SQLite's integers). */
  private record Column(String name, String type, boolean identity) {}

  static void copy(String sourceUrl, String targetUrl) throws SQLException {
    try (Connection source = DriverManager.getConnection(sourceUrl);
        Connection target = DriverManager.getConnection(targetUrl)) {
      boolean postgres = targetUrl.startsWith("jdbc:postgresql:");
      target.setAutoCommit(false);
      for (String table : sourceTables(source)) {
        Map<String, Column> columns =
            postgres ? pgColumns(target, table) : sqliteColumns(target, table);
        if (columns.isEmpty()) {
          continue; // the earlier schema has no such table
        }
        List<String> shared = new ArrayList<>();
        for (String c : sqliteColumns(source, table).keySet()) {
          if (columns.containsKey(c)) {
            shared.add(c);
          }
        }
        if (SEEDED.contains(table)) {
          try (Statement s = target.createStatement()) {
            s.executeUpdate("DELETE FROM " + table);
          }
        }
        copyTable(source, target, table, shared, columns, postgres);
      }
      if (postgres) {
        resetIdentities(target);
      }
      target.commit();
    }
  }

  private static void copyTable(
      Connection source,
      Connection target,
      String table,
      List<String> shared,
      Map<String, Column> columns,
      boolean postgres)
      throws SQLException {
    String list = String.join(", ", shared);
    boolean identity = shared.stream().anyMatch(c -> columns.get(c).identity());
    String insert =
        "INSERT INTO "
            + table
            + " ("
            + list
            + ")"
            + (postgres && identity ? " OVERRIDING SYSTEM VALUE" : "")
            + " VALUES ("
            + String.join(", ", shared.stream().map(c -> "?").toList())
            + ")";
    try (Statement read = source.createStatement();
        ResultSet rows = read.executeQuery("SELECT " + list + " FROM " + table);
        PreparedStatement write = target.prepareStatement(insert)) {
      int batch = 0;
      while (rows.next()) {
        for (int i = 0; i < shared.size(); i++) {
          Object value = rows.getObject(i + 1);
          String type = columns.get(shared.get(i)).type();
          if (value != null && type.equals("boolean")) {
            value = ((Number) value).longValue() != 0;
          } else if (value instanceof Integer n && type.equals("bigint")) {
            value = n.longValue();
          }
          write.setObject(i + 1, value);
        }
        write.addBatch();
        if (++batch % 500 == 0) {
          write.executeBatch();
        }
      }
      write.executeBatch();
    }
  }

  private static List<String> sourceTables(Connection source) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement s = source.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                    + " AND name NOT LIKE 'sqlite_%' AND name <> 'flyway_schema_history'"
                    + " ORDER BY rowid")) {
      while (r.next()) {
        tables.add(r.getString(1));
      }
    }
    // Tables recreated by a later migration (publications in V7) sort after their children's
    // parents but still after releases; foreign keys only ever point to tables created earlier.
    return tables;
  }

  private static Map<String, Column> sqliteColumns(Connection c, String table) throws SQLException {
    Map<String, Column> columns = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (r.next()) {
        columns.put(r.getString("name"), new Column(r.getString("name"), "sqlite", false));
      }
    }
    return columns;
  }

  private static Map<String, Column> pgColumns(Connection c, String table) throws SQLException {
    Map<String, Column> columns = new LinkedHashMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT column_name, data_type, is_identity, column_default"
                + " FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ?"
                + " ORDER BY ordinal_position")) {
      s.setString(1, table);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          String def = r.getString("column_default");
          boolean identity =
              "YES".equals(r.getString("is_identity"))
                  || (def != null && def.startsWith("nextval"));
          columns.put(
              r.getString("column_name"),
              new Column(r.getString("column_name"), r.getString("data_type"), identity));
        }
      }
    }
    return columns;
  }

  /** Moves every identity sequence past the copied rows, as if the server had inserted them. */
  private static void resetIdentities(Connection c) throws SQLException {
    List<String[]> identities = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT table_name, column_name FROM information_schema.columns"
                    + " WHERE table_schema = current_schema()"
                    + " AND (is_identity = 'YES' OR column_default LIKE 'nextval%')")) {
      while (r.next()) {
        identities.add(new String[] {r.getString(1), r.getString(2)});
      }
    }
    for (String[] id : identities) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "SELECT setval(pg_get_serial_sequence('"
                + id[0]
                + "', '"
                + id[1]
                + "'), max("
                + id[1]
                + ")) FROM "
                + id[0]
                + " HAVING max("
                + id[1]
                + ") IS NOT NULL");
      }
    }
  }
}
