package dev.sluice.trust.chain;

import dev.sluice.trust.tuf.InMemoryTrustedStore;
import dev.sluice.trust.tuf.TrustedStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a verifier remembers between runs: the last log checkpoint it verified (so a fork or a
 * rollback of the log is noticed) and its trusted TUF metadata (so replayed or rolled-back TUF
 * metadata is refused). On disk, a directory:
 *
 * <pre>
 * checkpoint                     the last verified checkpoint (signed note)
 * tuf/&lt;role&gt;.json               trusted TUF metadata by role
 * forks/&lt;time&gt;/stored.checkpoint  evidence of a fork: the checkpoint held before ...
 * forks/&lt;time&gt;/offered.checkpoint ... and the inconsistent one the log signed
 * </pre>
 *
 * Every file is replaced atomically (temporary file, fsync, rename), so a crash leaves either the
 * old or the new state. In memory, nothing survives the process.
 */
public final class VerifierState {
  private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private final Path directory;
  private final TrustedStore tuf;
  private byte[] checkpoint;

  private VerifierState(Path directory, TrustedStore tuf) {
    this.directory = directory;
    this.tuf = tuf;
  }

  /** State kept in {@code directory}, created if missing. */
  public static VerifierState inDirectory(Path directory) {
    Path dir = directory.toAbsolutePath();
    return new VerifierState(dir, new DirectoryStore(dir.resolve("tuf")));
  }

  /** State that lives as long as this object (tests, one-shot checks). */
  public static VerifierState inMemory() {
    return new VerifierState(null, new InMemoryTrustedStore());
  }

  /** The directory, if the state is on disk. */
  public Optional<Path> directory() {
    return Optional.ofNullable(directory);
  }

  TrustedStore tufStore() {
    return tuf;
  }

  /** The last checkpoint stored, as its signed note. */
  public synchronized Optional<byte[]> checkpoint() {
    if (directory == null) {
      return Optional.ofNullable(checkpoint).map(byte[]::clone);
    }
    return read(directory.resolve("checkpoint"));
  }

  synchronized void storeCheckpoint(byte[] note) {
    if (directory == null) {
      checkpoint = note.clone();
    } else {
      write(directory.resolve("checkpoint"), note);
    }
  }

  /** Keeps both checkpoints of a fork; returns the evidence directory (empty in memory). */
  synchronized Optional<Path> keepForkEvidence(byte[] stored, byte[] offered, Instant now) {
    if (directory == null) {
      return Optional.empty();
    }
    Path dir = directory.resolve("forks").resolve(now.toString().replace(':', '-'));
    write(dir.resolve("stored.checkpoint"), stored);
    write(dir.resolve("offered.checkpoint"), offered);
    return Optional.of(dir);
  }

  static String text(byte[] note) {
    return new String(note, StandardCharsets.UTF_8);
  }

  private static Optional<byte[]> read(Path file) {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes beside the target, syncs, and renames over it. */
  static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
      try {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          ByteBuffer buffer = ByteBuffer.wrap(bytes);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** A {@link TrustedStore} of one file per role. */
  private record DirectoryStore(Path dir) implements TrustedStore {
    @Override
    public Optional<byte[]> load(String roleName) {
      return read(file(roleName));
    }

    @Override
    public void store(String roleName, byte[] metadata) {
      write(file(roleName), metadata);
    }

    @Override
    public void delete(String roleName) {
      try {
        Files.deleteIfExists(file(roleName));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + file(roleName), e);
      }
    }

    private Path file(String roleName) {
      if (!ROLE.matcher(roleName).matches()) {
        throw new IllegalArgumentException("not a role name: " + roleName);
      }
      return dir.resolve(roleName + ".json");
    }
  }
}
