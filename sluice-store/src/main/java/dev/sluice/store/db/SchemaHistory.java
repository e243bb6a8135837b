package dev.sluice.store.db;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.OptionalInt;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Whether a database's schema is already current, asked before Flyway is loaded: on a restart the
 * schema history ends with the newest migration this build carries, and Flyway (its ~450 classes, a
 * scan of the application jar and a validation of every applied migration) has nothing to do
 * (BENCHMARKS.md, "What start-up spends its time on"). Anything else (a fresh database, a newer
 * migration, a failed one, a history this code cannot read) answers false and Flyway runs as
 * always; a migration edited after it was applied is then only noticed when a later migration is
 * added (Flyway validates every applied one whenever it runs).
 */
final class SchemaHistory {
  private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__[^/]+\\.sql");

  private SchemaHistory() {}

  /** Whether {@code dataSource}'s schema history ends, successfully, with the newest migration. */
  static boolean isCurrent(DataSource dataSource, Dialect dialect) {
    OptionalInt newest = newestMigration(dialect.migrationFolder());
    if (newest.isEmpty()) {
      return false;
    }
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
      int applied = -1;
      while (rows.next()) {
        if (!rows.getBoolean(2)) {
          return false; // a failed migration: Flyway reports it
        }
        applied = Math.max(applied, Integer.parseInt(rows.getString(1)));
      }
      return applied == newest.getAsInt();
    } catch (SQLException | NumberFormatException e) {
      return false; // no history yet (a fresh database), or one this code does not know
    }
  }

  /**
   * The version {@code dataSource}'s schema history has applied, if it is newer than the newest
   * migration this build carries: a newer Sluice has migrated the database, and this one does not
   * know its tables. Empty for a fresh database, a current or older one, or a history this code
   * cannot read (Flyway then reports what it finds).
   */
  static OptionalInt newerThanThisBuild(DataSource dataSource, Dialect dialect) {
    OptionalInt newest = newestMigration(dialect.migrationFolder());
    if (newest.isEmpty()) {
      return OptionalInt.empty();
    }
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL")) {
      int applied = -1;
      while (rows.next()) {
        applied = Math.max(applied, Integer.parseInt(rows.getString(1)));
      }
      return applied > newest.getAsInt() ? OptionalInt.of(applied) : OptionalInt.empty();
    } catch (SQLException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * The highest version among the {@code V<n>__*.sql} files of a classpath folder, in a directory
   * (tests, the IDE) or in the application jar; empty if none is found.
   */
  static OptionalInt newestMigration(String folder) {
    URL url = SchemaHistory.class.getClassLoader().getResource(folder);
    if (url == null) {
      return OptionalInt.empty();
    }
    try {
      return switch (url.getProtocol()) {
        case "file" -> newestInDirectory(Path.of(url.toURI()));
        case "jar" -> newestInJar(url, folder + "/");
        default -> OptionalInt.empty();
      };
    } catch (IOException | URISyntaxException | IllegalArgumentException e) {
      return OptionalInt.empty();
    }
  }

  private static OptionalInt newestInDirectory(Path directory) throws IOException {
    int newest = -1;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        newest = Math.max(newest, version(file.getFileName().toString()));
      }
    }
    return newest < 0 ? OptionalInt.empty() : OptionalInt.of(newest);
  }

  private static OptionalInt newestInJar(URL url, String prefix)
      throws IOException, URISyntaxException {
    // jar:file:/path/app.jar!/db/migration/sqlite
    String spec = url.getPath();
    int bang = spec.indexOf("!/");
    if (bang < 0) {
      return OptionalInt.empty();
    }
    int newest = -1;
    try (JarFile jar = new JarFile(Path.of(new URI(spec.substring(0, bang))).toFile())) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        String name = entries.nextElement().getName();
        if (name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0) {
          newest = Math.max(newest, version(name.substring(prefix.length())));
        }
      }
    }
    return newest < 0 ? OptionalInt.empty() : OptionalInt.of(newest);
  }

  private static int version(String fileName) {
    Matcher m = MIGRATION.matcher(fileName);
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }
}
