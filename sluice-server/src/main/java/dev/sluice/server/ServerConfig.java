package dev.sluice.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a server: its data directory (SQLite database, artifact store, admin token), where to
 * listen, and optionally an external database (a {@code jdbc:postgresql://} URL) instead of the
 * embedded SQLite file.
 */
public record ServerConfig(Path dataDir, String host, int port, Optional<String> databaseUrl) {
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_HOST = "127.0.0.1";

  public ServerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("a port is between 0 (any free port) and 65535");
    }
    Objects.requireNonNull(databaseUrl, "databaseUrl");
    databaseUrl.ifPresent(
        url -> {
          if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:sqlite:")) {
            throw new IllegalArgumentException(
                "the database URL must start with jdbc:postgresql: or jdbc:sqlite:");
          }
        });
  }

  public static ServerConfig defaults(Path dataDir) {
    return new ServerConfig(dataDir, DEFAULT_HOST, DEFAULT_PORT, Optional.empty());
  }

  /** The JDBC URL to use: the configured one, or the embedded SQLite file in the data dir. */
  public String effectiveDatabaseUrl() {
    return databaseUrl.orElseGet(
        () -> "jdbc:sqlite:" + dataDir.toAbsolutePath().resolve("sluice.db"));
  }
}
