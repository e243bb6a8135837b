package dev.sluice.core.blob;

import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Content-addressed storage for artifacts. A blob is stored under its SHA-256 digest, so identical
 * content is kept once. {@link #put} streams: it never holds a blob in memory.
 */
public interface BlobStore {

  /**
   * Streams {@code content} into the store, computing its digest on the way. The blob becomes
   * visible under its digest only once it is complete, durable and checked (a file store: temp
   * file, fsync, rename; an object store: a staging object copied to its content address). If the
   * stream fails, exceeds {@code maxBytes}, or does not match {@code expected}, nothing is left
   * behind.
   *
   * @throws BlobTooLargeException when more than {@code maxBytes} bytes arrive
   * @throws BlobDigestMismatchException when {@code expected} is given and differs
   * @throws IOException when reading the stream or writing storage fails
   */
  StoredBlob put(InputStream content, long maxBytes, Optional<Sha256> expected) throws IOException;

  /** The size of the blob with this digest, if it is stored. */
  Optional<StoredBlob> find(Sha256 digest) throws IOException;

  /** Opens a stored blob for reading; the caller closes it. */
  InputStream open(Sha256 digest) throws IOException;

  /**
   * Opens {@code length} bytes of a stored blob from {@code offset} (an HTTP range); the caller
   * closes it. A store that fetches bytes over the network asks only for that range.
   */
  default InputStream open(Sha256 digest, long offset, long length) throws IOException {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("a range has a non-negative offset and length");
    }
    InputStream in = open(digest);
    try {
      in.skipNBytes(offset);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
    return new BoundedInputStream(in, length);
  }

  /** The blob's local file, when the store keeps blobs on the local file system (zero-copy). */
  Optional<Path> localPath(Sha256 digest);

  /**
   * Checks that the stored blob still has its digest before it is served: the first time, and again
   * whenever its file changed (size or modification time); otherwise from memory.
   *
   * @throws BlobCorruptedException when it does not (the blob is then listed by {@link
   *     #corrupted()} until its file is restored)
   * @throws java.nio.file.NoSuchFileException when the blob is missing
   */
  void verify(Sha256 digest) throws IOException;

  /**
   * The blob's local file and its size, when the store keeps blobs on the local file system and
   * this blob was {@linkplain #verify verified} as its file is now: one look at the file's
   * attributes, never a hash, so a server may send it at once. Empty when the blob has to go
   * through {@link #verify} first (never verified, its file changed or is missing) or has no local
   * file (an object store).
   *
   * @throws IOException when the file's attributes cannot be read
   */
  default Optional<LocalFile> verifiedFile(Sha256 digest) throws IOException {
    return Optional.empty();
  }

  /** The blobs found corrupted and not restored since, for health reports. */
  Set<Sha256> corrupted();

  /** A blob known to be in the store. */
  record StoredBlob(Sha256 sha256, long size) {}

  /** A verified blob's local file and the size its file had when it was checked. */
  record LocalFile(Path path, long size) {
    public LocalFile {
      java.util.Objects.requireNonNull(path, "path");
      if (size < 0) {
        throw new IllegalArgumentException("a file's size is not negative");
      }
    }
  }
}
