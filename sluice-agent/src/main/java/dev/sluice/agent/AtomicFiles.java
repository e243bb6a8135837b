package dev.sluice.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Crash-safe file replacement: write a temporary file in the same directory, fsync it, rename it
 * over the target and fsync the directory. A reader (or the agent after SIGKILL or power loss) sees
 * either the old content or the new one, never a mix.
 */
public final class AtomicFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private AtomicFiles() {}

  /** Replaces {@code target} with {@code content}. */
  public static void write(Path target, byte[] content) {
    write(target, content, false);
  }

  /** As {@link #write}, readable and writable by the owner only (0600), from the first byte. */
  public static void writePrivate(Path target, byte[] content) {
    write(target, content, true);
  }

  private static void write(Path target, byte[] content, boolean ownerOnly) {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = dir.resolve("." + target.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(temp);
      if (ownerOnly) {
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      }
      try (FileChannel channel =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      moveDurably(temp, target);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + target + " failed", e);
    }
  }

  /** Renames {@code source} over {@code target} atomically and fsyncs the directory. */
  public static void moveDurably(Path source, Path target) throws IOException {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system cannot rename " + source + " atomically", e);
    }
    syncDirectory(target.toAbsolutePath().getParent());
  }

  /** fsync of a directory, so that a rename or a new file in it survives power loss. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** fsync of a regular file's content. */
  public static void syncFile(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }
}
