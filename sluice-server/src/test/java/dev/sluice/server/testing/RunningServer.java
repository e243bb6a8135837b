package dev.sluice.server.testing;

import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import java.nio.file.Path;
import java.util.Optional;

/** A real server on a free port with a fresh data directory (embedded SQLite). */
public final class RunningServer implements AutoCloseable {
  /**
   * The key passphrase of servers on a PostgreSQL database (every instance of a test shares it).
   */
  public static final String TEST_PASSPHRASE = "running server test passphrase";

  public final SluiceServer server;
  public final Http http;
  public final Pipeline pipeline;
  public final Path dataDir;

  public RunningServer(Path dataDir) {
    this(dataDir, Optional.empty());
  }

  public RunningServer(Path dataDir, Optional<String> databaseUrl) {
    this(
        dataDir,
        databaseUrl,
        java.time.Clock.tick(java.time.Clock.systemUTC(), java.time.Duration.ofMillis(1)));
  }

  /** A server whose notion of time is {@code clock} (e.g. behind real time, to expire metadata). */
  public RunningServer(Path dataDir, Optional<String> databaseUrl, java.time.Clock clock) {
    this(dataDir, databaseUrl, clock, config -> config);
  }

  /** A server whose configuration the test adjusts (e.g. device API settings). */
  public RunningServer(
      Path dataDir,
      Optional<String> databaseUrl,
      java.time.Clock clock,
      java.util.function.UnaryOperator<ServerConfig.Builder> customize) {
    this.dataDir = dataDir;
    ServerConfig.Builder config = ServerConfig.builder(dataDir).port(0).databaseUrl(databaseUrl);
    if (databaseUrl.isPresent()) {
      // A shared database gets no generated passphrase: instances are given one.
      config.keyPassphrase(
          dev.sluice.server.KeyPassphrase.fromEnvironment(
              java.util.Map.of(dev.sluice.server.KeyPassphrase.ENV, TEST_PASSPHRASE)));
    }
    this.server = SluiceServer.start(customize.apply(config).build(), clock);
    // Like an orchestrator waiting for /api/v1/ready: tests start from a ready server
    // (StartupReadinessHttpTest covers the moments before).
    server.awaitKeys(java.time.Duration.ofMinutes(2));
    this.http = new Http(server.baseUri());
    this.pipeline = new Pipeline(http, server.bootstrapAdminToken().orElseThrow());
  }

  @Override
  public void close() {
    server.close();
  }
}
