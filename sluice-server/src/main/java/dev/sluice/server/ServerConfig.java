package dev.sluice.server;

import dev.sluice.core.tuf.TufRepository;
import dev.sluice.server.ddi.DdiConfig;
import dev.sluice.trust.tuf.RepositoryBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to run a server: its data directory (SQLite database, artifact store, admin token, log key),
 * where to listen, optionally an external database (a {@code jdbc:postgresql://} URL) instead of
 * the embedded SQLite file, the transparency log's origin (its checkpoints' first line and its key
 * name), optionally a file holding the passphrase of the online keys, and how long each TUF role's
 * metadata stays valid (the online roles are re-signed automatically at half their lifetime; a
 * product role signed offline gets {@code tufOfflineTargetsExpiry}, a year by default), and how the
 * device API (hawkBit DDI) behaves ({@code ddi}), and how often the rollout evaluator looks at the
 * active rollouts ({@code rolloutInterval}, 5 s by default; the demo shortens it), what the HTTP
 * listener allows a client ({@code http}: timeouts, connection limit, shutdown grace period), and
 * which hosts rollout webhook gates may call ({@code webhookHosts}, none by default), and which
 * blob store keeps the artifacts ({@code blobStore}: the data directory's by default, or an
 * S3-compatible bucket shared by every instance).
 */
public record ServerConfig(
    Path dataDir,
    String host,
    int port,
    Optional<String> databaseUrl,
    String logOrigin,
    Optional<Path> keyPassphraseFile,
    RepositoryBuilder.Expiry tufExpiry,
    Duration tufOfflineTargetsExpiry,
    DdiConfig ddi,
    Duration rolloutInterval,
    HttpLimits http,
    java.util.Set<String> webhookHosts,
    dev.sluice.store.blob.BlobStoreConfig blobStore) {
  public static final int DEFAULT_PORT = 8080;

  /** How often the rollout evaluator runs unless configured otherwise. */
  public static final Duration DEFAULT_ROLLOUT_INTERVAL =
      dev.sluice.server.rollout.RolloutScheduler.INTERVAL;

  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The default log origin; production deployments name their own, e.g. example.com/sluice. */
  public static final String DEFAULT_LOG_ORIGIN = "sluice.local/log";

  // A C2SP signed-note key name: no spaces, no '+', no control characters.
  private static final Pattern ORIGIN = Pattern.compile("[\\x21-\\x2a\\x2c-\\x7e]{1,200}");

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
    if (logOrigin == null || !ORIGIN.matcher(logOrigin).matches()) {
      throw new IllegalArgumentException(
          "the log origin must be 1 to 200 printable ASCII characters without spaces or '+',"
              + " e.g. example.com/sluice");
    }
    Objects.requireNonNull(keyPassphraseFile, "keyPassphraseFile");
    Objects.requireNonNull(tufExpiry, "tufExpiry");
    Objects.requireNonNull(ddi, "ddi");
    Objects.requireNonNull(rolloutInterval, "rolloutInterval");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(blobStore, "blobStore");
    webhookHosts = dev.sluice.server.rollout.WebhookHosts.normalise(webhookHosts);
    if (rolloutInterval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException("the rollout evaluator runs at most every 100 ms");
    }
    // The refresher looks once a minute and re-signs at half the lifetime: leave it room.
    if (tufOfflineTargetsExpiry.compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException(
          "metadata signed offline must stay valid for at least a day");
    }
    if (tufExpiry.timestamp().compareTo(MIN_TIMESTAMP_EXPIRY) < 0) {
      throw new IllegalArgumentException(
          "the TUF timestamp must stay valid for at least "
              + MIN_TIMESTAMP_EXPIRY.toMinutes()
              + " minutes");
    }
  }

  /** A configuration with the default HTTP limits and no webhook hosts allowed. */
  public ServerConfig(
      Path dataDir,
      String host,
      int port,
      Optional<String> databaseUrl,
      String logOrigin,
      Optional<Path> keyPassphraseFile,
      RepositoryBuilder.Expiry tufExpiry,
      Duration tufOfflineTargetsExpiry,
      DdiConfig ddi,
      Duration rolloutInterval) {
    this(
        dataDir,
        host,
        port,
        databaseUrl,
        logOrigin,
        keyPassphraseFile,
        tufExpiry,
        tufOfflineTargetsExpiry,
        ddi,
        rolloutInterval,
        HttpLimits.defaults(),
        java.util.Set.of(),
        dev.sluice.store.blob.BlobStoreConfig.files());
  }

  /** A configuration with the default rollout evaluation interval. */
  public ServerConfig(
      Path dataDir,
      String host,
      int port,
      Optional<String> databaseUrl,
      String logOrigin,
      Optional<Path> keyPassphraseFile,
      RepositoryBuilder.Expiry tufExpiry,
      Duration tufOfflineTargetsExpiry,
      DdiConfig ddi) {
    this(
        dataDir,
        host,
        port,
        databaseUrl,
        logOrigin,
        keyPassphraseFile,
        tufExpiry,
        tufOfflineTargetsExpiry,
        ddi,
        DEFAULT_ROLLOUT_INTERVAL);
  }

  /** A configuration with the default device API settings. */
  public ServerConfig(
      Path dataDir,
      String host,
      int port,
      Optional<String> databaseUrl,
      String logOrigin,
      Optional<Path> keyPassphraseFile,
      RepositoryBuilder.Expiry tufExpiry,
      Duration tufOfflineTargetsExpiry) {
    this(
        dataDir,
        host,
        port,
        databaseUrl,
        logOrigin,
        keyPassphraseFile,
        tufExpiry,
        tufOfflineTargetsExpiry,
        DdiConfig.defaults());
  }

  /** This configuration with other device API settings. */
  public ServerConfig withDdi(DdiConfig settings) {
    return new ServerConfig(
        dataDir,
        host,
        port,
        databaseUrl,
        logOrigin,
        keyPassphraseFile,
        tufExpiry,
        tufOfflineTargetsExpiry,
        settings,
        rolloutInterval,
        http,
        webhookHosts,
        blobStore);
  }

  /** This configuration with the rollout evaluator running every {@code interval}. */
  public ServerConfig withRolloutInterval(Duration interval) {
    return new ServerConfig(
        dataDir,
        host,
        port,
        databaseUrl,
        logOrigin,
        keyPassphraseFile,
        tufExpiry,
        tufOfflineTargetsExpiry,
        ddi,
        interval,
        http,
        webhookHosts,
        blobStore);
  }

  /** This configuration with other HTTP limits (timeouts, connections, shutdown grace). */
  public ServerConfig withHttp(HttpLimits limits) {
    return new ServerConfig(
        dataDir,
        host,
        port,
        databaseUrl,
        logOrigin,
        keyPassphraseFile,
        tufExpiry,
        tufOfflineTargetsExpiry,
        ddi,
        rolloutInterval,
        limits,
        webhookHosts,
        blobStore);
  }

  /**
   * This configuration with rollout webhook gates allowed to call these hosts (names or addresses,
   * optionally with {@code :port}); a gate's URL on any other host is refused.
   */
  public ServerConfig withWebhookHosts(java.util.Set<String> hosts) {
    return new ServerConfig(
        dataDir,
        host,
        port,
        databaseUrl,
        logOrigin,
        keyPassphraseFile,
        tufExpiry,
        tufOfflineTargetsExpiry,
        ddi,
        rolloutInterval,
        http,
        hosts,
        blobStore);
  }

  /** This configuration with its artifacts in another blob store. */
  public ServerConfig withBlobStore(dev.sluice.store.blob.BlobStoreConfig store) {
    return new ServerConfig(
        dataDir,
        host,
        port,
        databaseUrl,
        logOrigin,
        keyPassphraseFile,
        tufExpiry,
        tufOfflineTargetsExpiry,
        ddi,
        rolloutInterval,
        http,
        webhookHosts,
        store);
  }

  /** A configuration with the default lifetime of product roles signed offline. */
  public ServerConfig(
      Path dataDir,
      String host,
      int port,
      Optional<String> databaseUrl,
      String logOrigin,
      Optional<Path> keyPassphraseFile,
      RepositoryBuilder.Expiry tufExpiry) {
    this(
        dataDir,
        host,
        port,
        databaseUrl,
        logOrigin,
        keyPassphraseFile,
        tufExpiry,
        TufRepository.DEFAULT_OFFLINE_TARGETS_EXPIRY);
  }

  /** The shortest timestamp lifetime the automatic re-signing can keep fresh. */
  public static final Duration MIN_TIMESTAMP_EXPIRY = Duration.ofMinutes(10);

  /** A configuration with the default TUF expiry periods. */
  public ServerConfig(
      Path dataDir,
      String host,
      int port,
      Optional<String> databaseUrl,
      String logOrigin,
      Optional<Path> keyPassphraseFile) {
    this(
        dataDir,
        host,
        port,
        databaseUrl,
        logOrigin,
        keyPassphraseFile,
        RepositoryBuilder.Expiry.defaults());
  }

  /** A configuration with the default log origin and no passphrase file. */
  public ServerConfig(Path dataDir, String host, int port, Optional<String> databaseUrl) {
    this(dataDir, host, port, databaseUrl, DEFAULT_LOG_ORIGIN, Optional.empty());
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
