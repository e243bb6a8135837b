package dev.sluice.trust.key;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file so that it appears whole or not at all, with its permissions set from the moment it
 * exists, and without replacing an existing file unless asked.
 */
final class AtomicKeyFileWriter {
  private AtomicKeyFileWriter() {}

  /**
   * Writes {@code content} to a temporary file in the target's directory (same file system, so the
   * rename is atomic) created with its final permissions, syncs it, moves it into place and syncs
   * the directory.
   *
   * @throws KeyFileExistsException if {@code path} exists and {@code overwrite} is false
   * @throws KeyFileException on I/O failure
   */
  static void write(
      Path path, byte[] content, Set<PosixFilePermission> permissions, boolean overwrite) {
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    Path temp = null;
    try {
      Files.createDirectories(dir);
      if (!overwrite && Files.exists(target)) {
        throw new KeyFileExistsException(path);
      }
      boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
      FileAttribute<?>[] attributes =
          posix
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
              : new FileAttribute<?>[0];
      temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attributes);
      if (posix) {
        // The umask may have narrowed the mode; set it exactly (the file is still empty).
        Files.setPosixFilePermissions(temp, permissions);
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      moveIntoPlace(temp, target, path, overwrite);
      syncDirectory(dir);
    } catch (IOException e) {
      throw new KeyFileException(path, "cannot write key file " + path + ": " + e, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // Best effort: the temp file holds nothing the target does not.
        }
      }
    }
  }

  private static void moveIntoPlace(Path temp, Path target, Path path, boolean overwrite)
      throws IOException {
    if (overwrite) {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    // A hard link fails if the target exists, unlike rename(2), so no concurrent writer's file is
    // ever replaced.
    try {
      Files.createLink(target, temp);
    } catch (FileAlreadyExistsException e) {
      throw new KeyFileExistsException(path);
    } catch (UnsupportedOperationException | IOException e) {
      if (Files.exists(target)) {
        throw new KeyFileExistsException(path);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some platforms cannot open or sync a directory; the file itself is already synced.
    }
  }
}
