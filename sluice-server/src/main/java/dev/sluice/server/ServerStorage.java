package dev.sluice.server;

import dev.sluice.core.key.SealedKeys;
import dev.sluice.store.blob.ManagedBlobStore;
import dev.sluice.store.db.Database;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.db.NewerSchemaException;
import dev.sluice.store.files.PrivateFiles;
import dev.sluice.store.jdbi.GroupCommit;
import dev.sluice.store.jdbi.JdbiTransactions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The first layer: the data directory (mode 0700: it holds the admin token, keys and the database),
 * the database (opened and migrated), the blob store, and the transactions over them. Devices'
 * feedback and attribute writes are committed in groups ({@link #deviceWrites()}: one fsync for
 * many). Closed last.
 */
final class ServerStorage implements AutoCloseable {
  final Path dataDir;
  final Database database;
  final ManagedBlobStore blobs;
  final JdbiTransactions transactions;
  private final GroupCommit deviceWrites;

  private ServerStorage(
      Path dataDir,
      Database database,
      ManagedBlobStore blobs,
      JdbiTransactions transactions,
      GroupCommit deviceWrites) {
    this.dataDir = dataDir;
    this.database = database;
    this.blobs = blobs;
    this.transactions = transactions;
    this.deviceWrites = deviceWrites;
  }

  /** Creates the data directory (0700) and its key directory, before anything else runs. */
  static Path prepare(ServerConfig config) {
    Path dataDir = config.dataDir().toAbsolutePath();
    try {
      PrivateFiles.directory(dataDir);
      PrivateFiles.directory(dataDir.resolve("keys"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
    }
    return dataDir;
  }

  static ServerStorage open(ServerConfig config, Path dataDir) {
    Database database;
    try {
      database = Database.open(config.effectiveDatabaseUrl(), config.databasePoolSize());
    } catch (NewerSchemaException e) {
      // The operator's to fix (run the newer version, or restore a backup): one line, no trace.
      throw new StartupException(e.getMessage(), e);
    }
    ManagedBlobStore blobs = null;
    try {
      // The data directory's blob store, or an S3-compatible bucket shared by every instance.
      blobs = config.blobStore().open(dataDir.resolve("blobs"), true);
      JdbiTransactions transactions = new JdbiTransactions(database);
      // Every committed audit event is also a log line (sluice.audit).
      transactions.onCommittedAudit(new dev.sluice.server.logging.AuditLines());
      return new ServerStorage(
          dataDir, database, blobs, transactions, new GroupCommit(transactions));
    } catch (RuntimeException e) {
      if (blobs != null) {
        blobs.close();
      }
      database.close();
      throw e;
    }
  }

  /**
   * The online keys' passphrase ({@link LogKeys#passphrase}): one may be generated only on the
   * first start of an embedded database, never for a shared one.
   */
  char[] keyPassphrase(ServerConfig config) {
    boolean keysExist =
        Files.exists(LogKeys.keyFile(dataDir))
            || new SealedKeys(transactions).find(LogKeys.NAME).isPresent();
    return LogKeys.passphrase(
        dataDir,
        config.keyPassphraseFile(),
        config.keyPassphrase().value(),
        !keysExist,
        database.dialect() == Dialect.POSTGRESQL);
  }

  GroupCommit deviceWrites() {
    return deviceWrites;
  }

  @Override
  public void close() {
    deviceWrites.close();
    blobs.close();
    database.close();
  }
}
