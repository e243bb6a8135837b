package dev.sluice.store.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a data directory private to the user running Sluice: the directory itself 0700, the
 * database and every secret 0600. The data directory holds the admin token, private keys and the
 * database with every token's hash, so no other local user has any business reading it. On file
 * systems without POSIX permissions these methods do nothing.
 */
public final class PrivateFiles {
  private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);

  /** rwx------ */
  public static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  /** rw------- */
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** Creates {@code dir} (and its parents) if needed and makes it 0700, tightening a wider mode. */
  public static Path directory(Path dir) throws IOException {
    boolean existed = Files.isDirectory(dir);
    Files.createDirectories(dir);
    restrict(dir, DIRECTORY, existed);
    return dir;
  }

  /**
   * Creates {@code file} empty with mode 0600 if it does not exist, and tightens it to 0600 if it
   * does. An empty file is a valid, empty SQLite database: SQLite then creates its {@code -wal} and
   * {@code -shm} files with the database file's mode.
   */
  public static void file(Path file) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      restrict(file, FILE, true);
    }
  }

  /** Tightens {@code file} to 0600 if it exists. */
  public static void fileIfPresent(Path file) throws IOException {
    try {
      restrict(file, FILE, true);
    } catch (NoSuchFileException e) {
      // nothing to tighten
    }
  }

  private static void restrict(Path path, Set<PosixFilePermission> wanted, boolean tell)
      throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    Set<PosixFilePermission> current = view.readAttributes().permissions();
    if (current.equals(wanted)) {
      return;
    }
    view.setPermissions(wanted);
    if (tell) {
      LOG.info(
          "{}: mode {} tightened to {}",
          path,
          PosixFilePermissions.toString(current),
          PosixFilePermissions.toString(wanted));
    }
  }
}
