package dev.sluice.server;

import dev.sluice.core.tuf.TufRepository;
import dev.sluice.server.ddi.DdiConfig;
import dev.sluice.store.blob.BlobStoreConfig;
import dev.sluice.trust.tuf.RepositoryBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 *
 * <p>Built with {@link #builder(Path)}, where every default is set.
 */
public record ServerConfig(
    Path dataDir,
    String host,
    int port,
    Optional<String> databaseUrl,
    java.util.OptionalInt databasePoolSize,
    String logOrigin,
    Optional<Path> keyPassphraseFile,
    KeyPassphrase keyPassphrase,
    RepositoryBuilder.Expiry tufExpiry,
    Duration tufOfflineTargetsExpiry,
    DdiConfig ddi,
    Duration rolloutInterval,
    HttpLimits http,
    Set<String> webhookHosts,
    BlobStoreConfig blobStore) {
  public static final int DEFAULT_PORT = 8080;

  /** How often the rollout evaluator runs unless configured otherwise. */
  public static final Duration DEFAULT_ROLLOUT_INTERVAL =
      dev.sluice.server.rollout.RolloutJob.INTERVAL;

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
    Objects.requireNonNull(databasePoolSize, "databasePoolSize");
    databasePoolSize.ifPresent(
        size -> {
          if (size < 1 || size > dev.sluice.store.db.Database.MAX_POOL_SIZE) {
            throw new IllegalArgumentException(
                "the database pool holds 1 to "
                    + dev.sluice.store.db.Database.MAX_POOL_SIZE
                    + " connections");
          }
        });
    if (logOrigin == null || !ORIGIN.matcher(logOrigin).matches()) {
      throw new IllegalArgumentException(
          "the log origin must be 1 to 200 printable ASCII characters without spaces or '+',"
              + " e.g. example.com/sluice");
    }
    Objects.requireNonNull(keyPassphraseFile, "keyPassphraseFile");
    Objects.requireNonNull(keyPassphrase, "keyPassphrase");
    Objects.requireNonNull(tufExpiry, "tufExpiry");
    Objects.requireNonNull(tufOfflineTargetsExpiry, "tufOfflineTargetsExpiry");
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

  /** The shortest timestamp lifetime the automatic re-signing can keep fresh. */
  public static final Duration MIN_TIMESTAMP_EXPIRY = Duration.ofMinutes(10);

  /**
   * A configuration for {@code dataDir} with every default: {@value #DEFAULT_HOST}, port {@value
   * #DEFAULT_PORT}, the embedded SQLite database, log origin {@value #DEFAULT_LOG_ORIGIN}, no
   * passphrase file nor environment passphrase, the default TUF lifetimes, device API settings,
   * rollout interval and HTTP limits, and no webhook hosts.
   */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** A builder holding this configuration, to change some of it. */
  public Builder toBuilder() {
    return new Builder(dataDir)
        .host(host)
        .port(port)
        .databaseUrl(databaseUrl)
        .databasePoolSize(databasePoolSize)
        .logOrigin(logOrigin)
        .keyPassphraseFile(keyPassphraseFile)
        .keyPassphrase(keyPassphrase)
        .tufExpiry(tufExpiry)
        .tufOfflineTargetsExpiry(tufOfflineTargetsExpiry)
        .ddi(ddi)
        .rolloutInterval(rolloutInterval)
        .http(http)
        .webhookHosts(webhookHosts)
        .blobStore(blobStore);
  }

  /**
   * Builds a {@link ServerConfig}; every setting starts at its default (see {@link
   * #builder(Path)}), and {@link #build()} validates the whole.
   */
  public static final class Builder {
    private final Path dataDir;
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private Optional<String> databaseUrl = Optional.empty();
    private java.util.OptionalInt databasePoolSize = java.util.OptionalInt.empty();
    private String logOrigin = DEFAULT_LOG_ORIGIN;
    private Optional<Path> keyPassphraseFile = Optional.empty();
    private KeyPassphrase keyPassphrase = KeyPassphrase.none();
    private RepositoryBuilder.Expiry tufExpiry = RepositoryBuilder.Expiry.defaults();
    private Duration tufOfflineTargetsExpiry = TufRepository.DEFAULT_OFFLINE_TARGETS_EXPIRY;
    private DdiConfig ddi = DdiConfig.defaults();
    private Duration rolloutInterval = DEFAULT_ROLLOUT_INTERVAL;
    private HttpLimits http = HttpLimits.defaults();
    private Set<String> webhookHosts = Set.of();
    private BlobStoreConfig blobStore = BlobStoreConfig.files();

    private Builder(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    }

    public Builder host(String value) {
      this.host = value;
      return this;
    }

    /** The port to listen on; 0 for any free port. */
    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /** An external database ({@code jdbc:postgresql:...}) instead of the embedded SQLite file. */
    public Builder databaseUrl(String value) {
      return databaseUrl(Optional.of(value));
    }

    public Builder databaseUrl(Optional<String> value) {
      this.databaseUrl = value;
      return this;
    }

    /**
     * How many database connections this instance pools (default: {@value
     * dev.sluice.store.db.Database#POSTGRESQL_POOL_SIZE} on PostgreSQL, {@value
     * dev.sluice.store.db.Database#SQLITE_POOL_SIZE} on SQLite).
     */
    public Builder databasePoolSize(java.util.OptionalInt value) {
      this.databasePoolSize = value;
      return this;
    }

    public Builder logOrigin(String value) {
      this.logOrigin = value;
      return this;
    }

    public Builder keyPassphraseFile(Path value) {
      return keyPassphraseFile(Optional.of(value));
    }

    public Builder keyPassphraseFile(Optional<Path> value) {
      this.keyPassphraseFile = value;
      return this;
    }

    public Builder keyPassphrase(KeyPassphrase value) {
      this.keyPassphrase = value;
      return this;
    }

    /**
     * Takes what the server reads from the environment, here and only here: the keys' passphrase
     * ({@value KeyPassphrase#ENV}).
     */
    public Builder environment(Map<String, String> environment) {
      return keyPassphrase(KeyPassphrase.fromEnvironment(environment));
    }

    public Builder tufExpiry(RepositoryBuilder.Expiry value) {
      this.tufExpiry = value;
      return this;
    }

    public Builder tufOfflineTargetsExpiry(Duration value) {
      this.tufOfflineTargetsExpiry = value;
      return this;
    }

    /** How the device API (hawkBit DDI) behaves. */
    public Builder ddi(DdiConfig value) {
      this.ddi = value;
      return this;
    }

    /** How often the rollout evaluator looks at the active rollouts. */
    public Builder rolloutInterval(Duration value) {
      this.rolloutInterval = value;
      return this;
    }

    /** Timeouts, connection limit and shutdown grace period of the HTTP listener. */
    public Builder http(HttpLimits value) {
      this.http = value;
      return this;
    }

    /**
     * The hosts rollout webhook gates may call (names or addresses, optionally with {@code :port});
     * a gate's URL on any other host is refused.
     */
    public Builder webhookHosts(Set<String> value) {
      this.webhookHosts = value;
      return this;
    }

    /** Where artifacts are kept: the data directory (default) or an S3-compatible bucket. */
    public Builder blobStore(BlobStoreConfig value) {
      this.blobStore = value;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(
          dataDir,
          host,
          port,
          databaseUrl,
          databasePoolSize,
          logOrigin,
          keyPassphraseFile,
          keyPassphrase,
          tufExpiry,
          tufOfflineTargetsExpiry,
          ddi,
          rolloutInterval,
          http,
          webhookHosts,
          blobStore);
    }
  }

  /** The JDBC URL to use: the configured one, or the embedded SQLite file in the data dir. */
  public String effectiveDatabaseUrl() {
    return databaseUrl.orElseGet(
        () -> "jdbc:sqlite:" + dataDir.toAbsolutePath().resolve("sluice.db"));
  }
}
