package dev.sluice.cli.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Keeps SQLite's native library, which sqlite-jdbc ships inside the jar, as one file in the data
 * directory and points sqlite-jdbc at it ({@code org.sqlite.lib.path}, {@code
 * org.sqlite.lib.name}).
 *
 * <p>Without it, sqlite-jdbc writes a new copy of the 1.1 MB library to the temporary directory on
 * every start, compares it with the jar's byte by byte (about a twentieth of the main thread's
 * samples before the server answered), and deletes it only when the JVM exits normally; the server
 * halts after a clean shutdown, so every start left a copy behind in {@code /tmp}. Here the jar's
 * library is read whole and compared with the kept file in one step, and the file is written only
 * when it is missing or differs; the libraries of other sqlite-jdbc versions are then removed.
 * Anything that goes wrong leaves sqlite-jdbc to its own extraction: the library still loads, only
 * as before.
 */
final class SqliteNativeLibrary {
  private SqliteNativeLibrary() {}

  /**
   * Keeps the library in {@code directory} and sets the two properties, unless they are already
   * set; returns the library file, or empty when sqlite-jdbc is left to extract its own.
   */
  static Optional<Path> keepIn(Path directory) {
    if (System.getProperty("org.sqlite.lib.path") != null
        || System.getProperty("org.sqlite.lib.name") != null) {
      return Optional.empty();
    }
    String name = LibraryLoaderUtil.getNativeLibName();
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
    try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] library = in.readAllBytes();
      String kept = "sqlite-" + SQLiteJDBCLoader.getVersion() + "-" + name;
      Path file = directory.resolve(kept);
      if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), library)) {
        Files.createDirectories(directory);
        Path partial = Files.createTempFile(directory, kept, ".partial");
        try {
          Files.write(partial, library);
          Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(partial);
        }
        removeOthers(directory, kept);
      }
      System.setProperty("org.sqlite.lib.path", directory.toAbsolutePath().toString());
      System.setProperty("org.sqlite.lib.name", kept);
      return Optional.of(file);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Removes the libraries of other sqlite-jdbc versions and the partial copies of a start that was
   * killed while writing, so that upgrades do not pile up copies.
   */
  private static void removeOthers(Path directory, String kept) throws IOException {
    try (var files = Files.newDirectoryStream(directory, "sqlite-*")) {
      for (Path other : files) {
        if (!other.getFileName().toString().equals(kept)) {
          Files.deleteIfExists(other);
        }
      }
    }
  }
}
