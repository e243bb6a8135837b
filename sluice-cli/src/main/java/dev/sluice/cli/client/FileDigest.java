package dev.sluice.cli.client;

import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/** SHA-256 of a file, read in small chunks so files larger than memory are fine. */
public final class FileDigest {
  private static final int CHUNK = 1 << 16;

  private FileDigest() {}

  /**
   * @throws UncheckedIOException if the file cannot be read
   */
  public static Sha256 sha256(Path file) {
    return sha256(file, bytes -> {});
  }

  /**
   * Like {@link #sha256(Path)}, reporting each chunk's size to {@code read} (a progress bar).
   *
   * @throws UncheckedIOException if the file cannot be read
   */
  public static Sha256 sha256(Path file, LongConsumer read) {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[CHUNK];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
        read.accept(n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Sha256.fromBytes(digest.digest());
  }
}
