package dev.sluice.store.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.sluice.store.StoreException;
import dev.sluice.store.files.PrivateFiles;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A migrated, pooled SQLite or PostgreSQL database. {@link #open} connects, applies the dialect's
 * Flyway migrations and hands out a {@link Jdbi}; closing it closes the pool.
 *
 * <p>SQLite runs in WAL mode with foreign keys on, {@code synchronous=FULL}, a busy timeout, and
 * {@code BEGIN IMMEDIATE} transactions: a transaction takes the write lock when it starts, so
 * concurrent writers queue on the busy timeout instead of failing on a lock upgrade. Statements
 * outside a transaction (plain reads) run concurrently with the writer. Writers of this process
 * queue for SQLite's one write lock in {@link #sqliteWriter()}, first come first served, rather
 * than in SQLite's busy handler, which sleeps and retries: under many concurrent writers it lets
 * the lock go idle between them and starves some past the busy timeout.
 */
public final class Database implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Database.class);
  static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;

  /** Connections pooled on SQLite unless configured otherwise. */
  public static final int SQLITE_POOL_SIZE = 8;

  /** Connections pooled per instance on PostgreSQL unless configured otherwise. */
  public static final int POSTGRESQL_POOL_SIZE = 10;

  /** The largest pool an instance may ask for. */
  public static final int MAX_POOL_SIZE = 200;

  private final HikariDataSource pool;
  private final Jdbi jdbi;
  private final Dialect dialect;
  private final ReentrantLock sqliteWriter = new ReentrantLock(true);
  private volatile Timer writeWait;

  private Database(HikariDataSource pool, Jdbi jdbi, Dialect dialect) {
    this.pool = pool;
    this.jdbi = jdbi;
    this.dialect = dialect;
  }

  /**
   * Opens {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://...} and migrates it to the
   * current schema.
   *
   * @throws StoreException if the URL names another database, or connecting or migrating fails
   * @throws NewerSchemaException if a newer Sluice has migrated the database
   */
  public static Database open(String jdbcUrl) {
    return open(jdbcUrl, java.util.OptionalInt.empty());
  }

  /**
   * Like {@link #open(String)}, pooling {@code poolSize} connections instead of the dialect's
   * default ({@value #POSTGRESQL_POOL_SIZE} on PostgreSQL, {@value #SQLITE_POOL_SIZE} on SQLite).
   *
   * @throws IllegalArgumentException if the size is not 1 to {@value #MAX_POOL_SIZE}
   */
  public static Database open(String jdbcUrl, java.util.OptionalInt poolSize) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(poolSize, "poolSize");
    poolSize.ifPresent(
        size -> {
          if (size < 1 || size > MAX_POOL_SIZE) {
            throw new IllegalArgumentException(
                "the database pool holds 1 to " + MAX_POOL_SIZE + " connections");
          }
        });
    Dialect dialect = Dialect.ofJdbcUrl(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setPoolName("sluice-" + dialect.name().toLowerCase(Locale.ROOT));
    switch (dialect) {
      case SQLITE -> {
        config.setDataSource(sqliteDataSource(jdbcUrl));
        config.setMaximumPoolSize(poolSize.orElse(SQLITE_POOL_SIZE));
      }
      case POSTGRESQL -> {
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(poolSize.orElse(POSTGRESQL_POOL_SIZE));
      }
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to the " + dialect + " database", e);
    }
    if (SchemaHistory.isCurrent(pool, dialect)) {
      // A restart: nothing to migrate, and Flyway is not even loaded (SchemaHistory).
      LOG.debug("{} schema is current; Flyway skipped", dialect);
      return new Database(pool, jdbi(pool, dialect), dialect);
    }
    OptionalInt newer = SchemaHistory.newerThanThisBuild(pool, dialect);
    if (newer.isPresent()) {
      pool.close();
      throw new NewerSchemaException(
          "the "
              + dialect
              + " database's schema is at V"
              + newer.getAsInt()
              + ", newer than this Sluice knows (V"
              + SchemaHistory.newestMigration(dialect.migrationFolder()).orElseThrow()
              + "): a newer Sluice has migrated it; run that version, or restore the backup taken"
              + " before the upgrade");
    }
    try {
      // All pending migrations in one transaction (group): a fresh SQLite database is made with 8
      // fsyncs instead of 23 (synchronous=FULL syncs every commit), and a start killed or failing
      // part-way leaves no migration applied and none recorded; the next start applies them all
      // (BENCHMARKS.md, "What start-up spends its time on").
      org.flywaydb.core.api.output.MigrateResult result =
          Flyway.configure()
              .dataSource(pool)
              .locations(dialect.migrationLocation())
              .failOnMissingLocations(true)
              .group(true)
              .load()
              .migrate();
      // Every schema change applied to this database is in the log (issue 10, item 12).
      for (org.flywaydb.core.api.output.MigrateOutput m : result.migrations) {
        LOG.info(
            "{} schema migrated to V{} ({}) in {} ms",
            dialect,
            m.version,
            m.description,
            m.executionTime);
      }
      if (result.migrations.isEmpty()) {
        LOG.debug("{} schema is current at V{}", dialect, result.targetSchemaVersion);
      }
    } catch (FlywayException e) {
      pool.close();
      throw new StoreException("cannot migrate the " + dialect + " database", e);
    }
    return new Database(pool, jdbi(pool, dialect), dialect);
  }

  /** Prepared statements kept per pooled SQLite connection (at most this many each). */
  static final int SQLITE_STATEMENTS_PER_CONNECTION = 64;

  /**
   * JDBI over the pool; on SQLite it keeps prepared statements per connection ({@link
   * SqliteStatementCache}), PostgreSQL's driver keeps its own.
   */
  private static Jdbi jdbi(HikariDataSource pool, Dialect dialect) {
    Jdbi jdbi = Jdbi.create(pool);
    if (dialect == Dialect.SQLITE) {
      jdbi.setStatementBuilderFactory(new SqliteStatementCache(SQLITE_STATEMENTS_PER_CONNECTION));
    }
    return jdbi;
  }

  private static SQLiteDataSource sqliteDataSource(String jdbcUrl) {
    String target = jdbcUrl.substring("jdbc:sqlite:".length());
    if (target.isEmpty() || target.contains(":memory:") || target.contains("mode=memory")) {
      // Each pooled connection would see its own empty in-memory database.
      throw new StoreException("a SQLite database for Sluice must be a file: jdbc:sqlite:<file>");
    }
    if (!target.startsWith("file:")) {
      int query = target.indexOf('?');
      Path file = Path.of(query >= 0 ? target.substring(0, query) : target).toAbsolutePath();
      if (!Files.isDirectory(file.getParent())) {
        throw new StoreException(
            "the directory of the SQLite database does not exist: " + file.getParent());
      }
      makePrivate(file);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.enforceForeignKeys(true);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLIS);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl(jdbcUrl);
    return dataSource;
  }

  /**
   * The database holds every token's hash and the audit trail: 0600, and so are its {@code -wal}
   * and {@code -shm} files (SQLite gives them the database file's mode when it creates them).
   */
  private static void makePrivate(Path file) {
    try {
      PrivateFiles.file(file);
      PrivateFiles.fileIfPresent(Path.of(file + "-wal"));
      PrivateFiles.fileIfPresent(Path.of(file + "-shm"));
      PrivateFiles.fileIfPresent(Path.of(file + "-journal"));
    } catch (IOException e) {
      throw new StoreException("cannot make the SQLite database " + file + " private", e);
    }
  }

  /** The JDBI entry point, with the SqlObject plugin installed. */
  public Jdbi jdbi() {
    return jdbi;
  }

  public Dialect dialect() {
    return dialect;
  }

  /**
   * On SQLite, the lock this process's write transactions hold while they run (fair, reentrant);
   * empty on PostgreSQL, whose writers do not exclude each other.
   */
  public Optional<ReentrantLock> sqliteWriter() {
    return dialect == Dialect.SQLITE ? Optional.of(sqliteWriter) : Optional.empty();
  }

  /**
   * Whether a connection is idle in the pool now, so that taking one would not wait (it may still,
   * if another thread takes it first).
   */
  public boolean connectionIdle() {
    return pool.getHikariPoolMXBean().getIdleConnections() > 0;
  }

  /** How long a writer waits for SQLite's write lock before it gives up. */
  public static Duration sqliteBusyTimeout() {
    return Duration.ofMillis(SQLITE_BUSY_TIMEOUT_MILLIS);
  }

  /** How many connections the pool holds at most. */
  public int poolSize() {
    return pool.getMaximumPoolSize();
  }

  /** Connections currently borrowed from the pool; 0 when idle (used by leak checks). */
  public int activeConnections() {
    return pool.getHikariPoolMXBean().getActiveConnections();
  }

  @Override
  public void close() {
    pool.close();
  }

  /**
   * Publishes the connection pool's metrics ({@code hikaricp_*}) and the time write transactions
   * wait for the SQLite writer lock ({@code sluice_db_write_wait_seconds}) to {@code registry}.
   */
  public void bindMetrics(MeterRegistry registry) {
    pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    writeWait =
        Timer.builder("sluice.db.write.wait")
            .description("time a write transaction waited for its turn to write (SQLite)")
            .publishPercentileHistogram()
            .register(registry);
  }

  /** Records how long a write transaction waited for the writer lock. */
  public void recordWriteWait(long nanos) {
    Timer timer = writeWait;
    if (timer != null) {
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
