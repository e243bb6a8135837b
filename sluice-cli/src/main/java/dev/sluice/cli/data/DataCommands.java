package dev.sluice.cli.data;

import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.fleet.DurationConverter;
import dev.sluice.store.StoreException;
import dev.sluice.store.blob.BlobStoreConfig;
import dev.sluice.store.blob.ManagedBlobStore;
import dev.sluice.store.db.Database;
import dev.sluice.store.maintenance.Backup;
import dev.sluice.store.maintenance.DataCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Maintenance of a data directory, safe while the server runs: {@code sluice fsck}, {@code sluice
 * gc} and {@code sluice backup} (docs/operations.md).
 */
public final class DataCommands {
  private DataCommands() {}

  /** Options every maintenance command shares. */
  abstract static class OnData implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        defaultValue = "./sluice-data",
        description = "Data directory (default: ${DEFAULT-VALUE}).")
    @InputFile
    Path dataDir;

    @Option(
        names = "--db",
        paramLabel = "JDBC_URL",
        description = "The server's PostgreSQL JDBC URL; default: SQLite in the data directory.")
    String databaseUrl;

    @Option(
        names = "--blob-store",
        paramLabel = "URL",
        description = {
          "The server's S3-compatible blob store, s3://bucket/prefix?endpoint=URL&region=R;",
          "default: DIR/blobs. Credentials: --blob-store-credentials-file or AWS_* variables."
        })
    String blobStore;

    @Option(
        names = "--blob-store-credentials-file",
        paramLabel = "FILE",
        description = "File of access-key-id= and secret-access-key= lines for --blob-store.")
    @InputFile
    Path blobStoreCredentials;

    @Override
    public final Integer call() {
      Terminal terminal = Terminal.of(spec);
      if (!Files.isDirectory(dataDir)) {
        throw new CommandFailedException("no data directory at " + dataDir);
      }
      String url =
          databaseUrl != null
              ? databaseUrl
              : "jdbc:sqlite:" + dataDir.toAbsolutePath().resolve("sluice.db");
      if (databaseUrl == null && !Files.isRegularFile(dataDir.resolve("sluice.db"))) {
        throw new CommandFailedException("no database at " + dataDir.resolve("sluice.db"));
      }
      try (Database database = Database.open(url)) {
        BlobStoreConfig config;
        try {
          config =
              BlobStoreConfig.parse(
                  java.util.Optional.ofNullable(blobStore),
                  java.util.Optional.ofNullable(blobStoreCredentials));
        } catch (IllegalArgumentException e) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (ManagedBlobStore blobs = config.open(dataDir.resolve("blobs"), false)) {
          return run(database, blobs, terminal);
        }
      } catch (IOException | StoreException e) {
        throw new CommandFailedException(e.getMessage(), e);
      }
    }

    abstract int run(Database database, ManagedBlobStore blobs, Terminal terminal)
        throws IOException;
  }

  /** {@code sluice fsck}. */
  @Command(
      name = "fsck",
      description = {
        "Re-verify every stored blob against its SHA-256 and the database's references to blobs:",
        "corrupted, missing and unreferenced blobs, stray files, and SQLite's own integrity.",
        "Exits 1 when anything is wrong. With --repair, unreferenced blobs older than the grace",
        "period are removed (as sluice gc does); corrupted or missing blobs need a backup."
      })
  public static final class Fsck extends OnData {
    @Option(names = "--repair", description = "Remove unreferenced blobs (see sluice gc).")
    boolean repair;

    @Option(
        names = "--grace",
        paramLabel = "DURATION",
        defaultValue = "1h",
        converter = DurationConverter.class,
        description =
            "With --repair: keep blobs written within DURATION (default ${DEFAULT-VALUE}).")
    Duration grace;

    @Override
    int run(Database database, ManagedBlobStore blobs, Terminal terminal) throws IOException {
      PrintWriter out = terminal.out();
      DataCheck check = new DataCheck(database, blobs);
      if (repair) {
        collect(check, grace, out);
      }
      DataCheck.Report report = check.check();
      report.corrupted().forEach(d -> out.println("CORRUPTED     blob " + d.hex()));
      report.missing().forEach(d -> out.println("MISSING       blob " + d.hex()));
      report.unreferenced().forEach(d -> out.println("UNREFERENCED  blob " + d.hex()));
      report.strayFiles().forEach(p -> out.println("STRAY         file " + p));
      report.databaseProblems().forEach(p -> out.println("DATABASE      " + p));
      out.println(
          report.blobsChecked()
              + " blob(s) verified: "
              + (report.clean()
                  ? "no problems"
                  : report.corrupted().size()
                      + " corrupted, "
                      + report.missing().size()
                      + " missing, "
                      + report.unreferenced().size()
                      + " unreferenced, "
                      + report.strayFiles().size()
                      + " stray, "
                      + report.databaseProblems().size()
                      + " database problem(s)"));
      return report.clean() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  /** {@code sluice gc}. */
  @Command(
      name = "gc",
      description = {
        "Remove blobs no release references (left by failed or concurrent uploads).",
        "Only blobs untouched for the grace period go, so uploads in progress are never raced."
      })
  public static final class Gc extends OnData {
    @Option(
        names = "--grace",
        paramLabel = "DURATION",
        defaultValue = "1h",
        converter = DurationConverter.class,
        description = "Keep blobs written within DURATION (default ${DEFAULT-VALUE}).")
    Duration grace;

    @Override
    int run(Database database, ManagedBlobStore blobs, Terminal terminal) throws IOException {
      collect(new DataCheck(database, blobs), grace, terminal.out());
      return ExitCodes.OK;
    }
  }

  /** {@code sluice backup}. */
  @Command(
      name = "backup",
      description = {
        "Copy a data directory consistently while the server runs: the SQLite database",
        "(VACUUM INTO), the blobs, the keys and the admin token. The copy is itself a data",
        "directory: restore by starting a server on it (docs/operations.md)."
      })
  public static final class BackupCommand extends OnData {
    @Option(
        names = "--out",
        paramLabel = "DIR",
        required = true,
        description = "Where to write the backup (must not exist or be empty).")
    Path out;

    @Override
    int run(Database database, ManagedBlobStore blobs, Terminal terminal) throws IOException {
      Backup.Result result = Backup.run(database, dataDir.toAbsolutePath(), out.toAbsolutePath());
      terminal
          .out()
          .println(
              "backed up "
                  + dataDir
                  + " to "
                  + result.target()
                  + ": database, "
                  + result.blobFiles()
                  + " blob(s) ("
                  + result.bytes()
                  + " bytes), keys");
      return ExitCodes.OK;
    }
  }

  private static void collect(DataCheck check, Duration grace, PrintWriter out) throws IOException {
    List<ManagedBlobStore.Entry> removed = check.collectGarbage(grace, Clock.systemUTC().instant());
    removed.forEach(b -> out.println("removed       blob " + b.digest().hex()));
    out.println(removed.size() + " unreferenced blob(s) removed");
  }
}
