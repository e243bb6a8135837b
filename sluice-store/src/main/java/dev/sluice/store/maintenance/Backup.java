package dev.sluice.store.maintenance;

import dev.sluice.store.StoreException;
import dev.sluice.store.db.Database;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.files.PrivateFiles;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code sluice backup}: a consistent copy of a data directory, taken while the server runs. The
 * SQLite database is copied first with {@code VACUUM INTO} (one read transaction: a consistent
 * snapshot that does not block the server's writers for long), then the blobs (immutable, named by
 * digest; every blob the snapshot references already exists, as an upload's blob is complete before
 * its reference commits, and releases never drop artifacts), then the keys and the admin token. The
 * backup is laid out as a data directory: restoring is starting a server on (a copy of) it.
 */
public final class Backup {
  /** What a backup holds besides the database. */
  private static final List<String> COPIED = List.of("blobs/sha256", "keys", "admin.token");

  private Backup() {}

  /** What was copied. */
  public record Result(Path target, long blobFiles, long bytes) {}

  /**
   * Copies {@code dataDir} (with its database {@code database}) into {@code target}, which must not
   * exist or be empty; it is made private (0700, files 0600 or read-only).
   *
   * @throws StoreException when the database is not SQLite (use pg_dump), or copying fails
   */
  public static Result run(Database database, Path dataDir, Path target) throws IOException {
    if (database.dialect() != Dialect.SQLITE) {
      throw new StoreException(
          "sluice backup copies SQLite databases; back up a PostgreSQL database with pg_dump (the"
              + " blobs and keys: copy them after the dump)");
    }
    if (Files.exists(target)) {
      try (Stream<Path> entries = Files.list(target)) {
        if (entries.findAny().isPresent()) {
          throw new StoreException("the backup directory " + target + " is not empty");
        }
      }
    }
    PrivateFiles.directory(target);
    Path db = target.resolve("sluice.db");
    database
        .jdbi()
        .useHandle(h -> h.execute("VACUUM INTO '" + db.toString().replace("'", "''") + "'"));
    PrivateFiles.fileIfPresent(db);
    long[] counts = new long[2];
    for (String name : COPIED) {
      Path source = dataDir.resolve(name);
      if (Files.exists(source)) {
        copyTree(source, target.resolve(name), counts);
      }
    }
    return new Result(target, counts[0], counts[1]);
  }

  private static void copyTree(Path source, Path target, long[] counts) throws IOException {
    if (Files.isRegularFile(source)) {
      Files.createDirectories(target.getParent());
      Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
      return;
    }
    Files.walkFileTree(
        source,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            PrivateFiles.directory(target.resolve(source.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Path copy = target.resolve(source.relativize(file).toString());
            // COPY_ATTRIBUTES keeps the mode (0600 keys, read-only blobs) and times.
            Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
            if (file.startsWith(source) && source.endsWith("sha256")) {
              counts[0]++;
              counts[1] += attrs.size();
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
