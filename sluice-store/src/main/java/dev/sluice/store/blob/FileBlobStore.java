package dev.sluice.store.blob;

import dev.sluice.core.blob.BlobDigestMismatchException;
import dev.sluice.core.blob.BlobStore;
import dev.sluice.core.blob.BlobTooLargeException;
import dev.sluice.store.StoreException;
import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlobStore} in a local directory, laid out as {@code <root>/sha256/ab/<64 hex>}. Uploads
 * stream into {@code <root>/tmp/}, are hashed and size-checked while written, fsynced, and renamed
 * into place atomically, so a blob file that exists is always complete and has the digest it is
 * named by. Blob files are read-only.
 *
 * <p>The directory belongs to one process: opening the store removes every leftover temp file, the
 * remains of uploads interrupted by a crash.
 */
public final class FileBlobStore implements BlobStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileBlobStore.class);
  private static final int BUFFER_SIZE = 64 * 1024;
  private static final String TEMP_SUFFIX = ".part";

  private final Path blobs;
  private final Path tmp;

  /**
   * Opens (creating if needed) the store under {@code root} and removes stale temp files.
   *
   * @throws StoreException if the directories cannot be created or cleaned
   */
  public FileBlobStore(Path root) {
    Path absolute = root.toAbsolutePath();
    this.blobs = absolute.resolve("sha256");
    this.tmp = absolute.resolve("tmp");
    try {
      Files.createDirectories(blobs);
      Files.createDirectories(tmp);
      removeStaleTempFiles();
    } catch (IOException e) {
      throw new StoreException("cannot open the blob store at " + absolute, e);
    }
  }

  @Override
  public StoredBlob put(InputStream content, long maxBytes, Optional<Sha256> expected)
      throws IOException {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(expected, "expected");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes cannot be negative");
    }
    Path temp = Files.createTempFile(tmp, "upload-", TEMP_SUFFIX);
    try {
      StoredBlob blob = writeAndHash(content, maxBytes, temp);
      if (expected.isPresent() && !expected.get().matches(blob.sha256())) {
        throw new BlobDigestMismatchException(expected.get(), blob.sha256());
      }
      makeReadOnly(temp);
      moveIntoPlace(temp, blob.sha256());
      return blob;
    } catch (IOException | RuntimeException | Error e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  @Override
  public Optional<StoredBlob> find(Sha256 digest) throws IOException {
    try {
      return Optional.of(new StoredBlob(digest, Files.size(pathOf(digest))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public InputStream open(Sha256 digest) throws IOException {
    return Files.newInputStream(pathOf(digest));
  }

  @Override
  public Optional<Path> localPath(Sha256 digest) {
    Path path = pathOf(digest);
    return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
  }

  private Path pathOf(Sha256 digest) {
    String hex = digest.hex();
    return blobs.resolve(hex.substring(0, 2)).resolve(hex);
  }

  /** Copies the stream into {@code temp} with a fixed buffer, hashing and counting as it goes. */
  private static StoredBlob writeAndHash(InputStream content, long maxBytes, Path temp)
      throws IOException {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[BUFFER_SIZE];
    long size = 0;
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      int n;
      while ((n = content.read(buffer)) != -1) {
        size += n;
        if (size > maxBytes) {
          throw new BlobTooLargeException(maxBytes);
        }
        digest.update(buffer, 0, n);
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
      }
      out.force(true);
    }
    return new StoredBlob(Sha256.fromBytes(digest.digest()), size);
  }

  /**
   * Renames the complete temp file to its content address. Identical content may already be there
   * (an earlier or concurrent upload); then the temp file is dropped, as the bytes are the same.
   */
  private void moveIntoPlace(Path temp, Sha256 digest) throws IOException {
    Path target = pathOf(digest);
    Path shard = target.getParent();
    boolean newShard = !Files.isDirectory(shard);
    if (newShard) {
      Files.createDirectories(shard);
      syncDirectory(blobs);
    }
    if (Files.exists(target)) {
      Files.delete(temp);
      return;
    }
    try {
      // rename(2): atomic; if a concurrent upload of the same content won the race, it replaces an
      // identical, complete file, which readers that already opened it keep seeing unchanged.
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the blob directory must be on one file system with its tmp/", e);
    }
    syncDirectory(shard);
  }

  private static void makeReadOnly(Path file) throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (posix != null) {
      posix.setPermissions(PosixFilePermissions.fromString("r--r--r--"));
    } else if (!file.toFile().setReadOnly()) {
      throw new IOException("cannot make " + file + " read-only");
    }
  }

  /** Makes a rename or a new entry in {@code dir} durable (POSIX: fsync the directory). */
  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some platforms (Windows) cannot open a directory; there a rename is already durable
      // enough or cannot be made more so. POSIX file systems support it.
      if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null) {
        throw e;
      }
    }
  }

  private void removeStaleTempFiles() throws IOException {
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(tmp)) {
      for (Path file : stale) {
        LOG.info("removing {}, left by an upload that did not finish", file.getFileName());
        Files.deleteIfExists(file);
      }
    }
  }
}
