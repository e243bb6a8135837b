package dev.sluice.store.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.store.db.Database;
import dev.sluice.store.db.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Fresh databases for tests: a SQLite file in a temp directory, or a new schema in the PostgreSQL
 * server named by {@code SLUICE_TEST_PG_URL} (e.g. {@code
 * jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}).
 *
 * <p>Without that variable PostgreSQL tests are skipped, unless the system property {@code
 * sluice.pg.required=true} or the variable {@code SLUICE_PG_REQUIRED=true} is set: then they fail,
 * so CI cannot pass without having run them.
 */
public final class TestDatabases {
  public static final String PG_URL_ENV = "SLUICE_TEST_PG_URL";
  public static final String PG_REQUIRED_PROPERTY = "sluice.pg.required";
  public static final String PG_REQUIRED_ENV = "SLUICE_PG_REQUIRED";

  private static final SecureRandom RANDOM = new SecureRandom();

  private TestDatabases() {}

  /** A fresh database of the given dialect. */
  public static TestDatabase fresh(Dialect dialect) {
    return switch (dialect) {
      case SQLITE -> freshSqlite();
      case POSTGRESQL -> freshPostgres();
    };
  }

  /** A new SQLite file in its own temp directory, deleted on close. */
  public static TestDatabase freshSqlite() {
    Path dir;
    try {
      dir = Files.createTempDirectory("sluice-sqlite-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String url = "jdbc:sqlite:" + dir.resolve("sluice.db");
    return new Fresh(Database.open(url), url, () -> deleteRecursively(dir));
  }

  /**
   * A new schema {@code sluice_t_<random>} in the test PostgreSQL server, dropped on close. Skips
   * (or fails, when PostgreSQL is required) if no server is configured.
   */
  public static TestDatabase freshPostgres() {
    String baseUrl = postgresUrl();
    String schema = "sluice_t_" + HexFormat.of().formatHex(randomBytes(8));
    execute(baseUrl, "CREATE SCHEMA " + schema);
    String url = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    try {
      return new Fresh(
          Database.open(url), url, () -> execute(baseUrl, "DROP SCHEMA " + schema + " CASCADE"));
    } catch (RuntimeException e) {
      execute(baseUrl, "DROP SCHEMA " + schema + " CASCADE");
      throw e;
    }
  }

  /** Whether a PostgreSQL test server is configured. */
  public static boolean postgresConfigured() {
    String url = System.getenv(PG_URL_ENV);
    return url != null && !url.isBlank();
  }

  /** Whether the build demands the PostgreSQL tests run (CI). */
  public static boolean postgresRequired() {
    return Boolean.getBoolean(PG_REQUIRED_PROPERTY)
        || "true".equalsIgnoreCase(System.getenv(PG_REQUIRED_ENV));
  }

  private static String postgresUrl() {
    if (!postgresConfigured()) {
      String why = "PostgreSQL tests need " + PG_URL_ENV + " (a jdbc:postgresql:// URL)";
      if (postgresRequired()) {
        fail(
            why
                + ", and PostgreSQL is required ("
                + PG_REQUIRED_PROPERTY
                + "/"
                + PG_REQUIRED_ENV
                + ")");
      }
      assumeTrue(false, why + "; skipping");
    }
    return System.getenv(PG_URL_ENV).strip();
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static void execute(String url, String sql) {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("test PostgreSQL: " + sql + " failed", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Fresh(Database database, String jdbcUrl, Runnable cleanup)
      implements TestDatabase {
    @Override
    public void close() {
      try {
        database.close();
      } finally {
        cleanup.run();
      }
    }
  }
}
