package dev.sluice.store.blob;

import dev.sluice.core.blob.BlobCorruptedException;
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
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlobStore} in a local directory, laid out as {@code <root>/sha256/ab/<64 hex>}. Uploads
 * stream into this instance's own {@code <root>/tmp/<instance>/}, are hashed and size-checked while
 * written, fsynced, and renamed into place atomically, so a blob file that exists is always
 * complete and has the digest it is named by. Blob files are read-only.
 *
 * <p>Several server instances may share the directory (a network file system): each writes its temp
 * files into its own subdirectory, and opening the store removes only temp files untouched for
 * {@link #ABANDONED_AFTER} (an upload in progress writes to its file continually), the remains of
 * uploads interrupted by a crash, never another instance's upload in progress.
 *
 * <p>A blob is {@linkplain #verify verified} against its name before it is first served and again
 * whenever its file changes (size, modification time or identity): bytes flipped on disk are never
 * served. {@link #collectGarbage} removes blobs nothing references, never one an upload is storing
 * or has just stored (see its documentation).
 */
public final class FileBlobStore implements ManagedBlobStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileBlobStore.class);
  private static final int BUFFER_SIZE = 64 * 1024;
  private static final String TEMP_SUFFIX = ".part";
  private static final java.util.regex.Pattern HEX =
      java.util.regex.Pattern.compile("[0-9a-f]{64}");

  private static final int STRIPES = 64;

  /**
   * How long a temp file stays untouched before it counts as abandoned: far longer than any
   * upload's stall timeout, as an upload in progress writes to its file all the time.
   */
  public static final Duration ABANDONED_AFTER = Duration.ofHours(1);

  private final Path blobs;
  private final Path tmp;
  private final Path ownTmp;
  private final ConcurrentHashMap<Sha256, Stamp> verified = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Sha256, Sha256> corrupted = new ConcurrentHashMap<>();
  // Per-digest locks: verification of one blob runs once at a time; the garbage collector and an
  // upload that stores or re-uses the same blob exclude each other.
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

  /** What a verification saw of a blob file; a different stamp means the file changed. */
  private record Stamp(long size, FileTime modified, Object fileKey) {
    static Stamp of(BasicFileAttributes attributes) {
      return new Stamp(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
    }
  }

  /**
   * Opens (creating if needed) the store under {@code root} and removes stale temp files.
   *
   * @throws StoreException if the directories cannot be created or cleaned
   */
  public FileBlobStore(Path root) {
    this(root, true);
  }

  /**
   * Opens the store for maintenance (fsck, gc, backup) while a server may be using it: leftover
   * temp files are left alone, as they may be uploads in progress.
   */
  public static FileBlobStore alongsideServer(Path root) {
    return new FileBlobStore(root, false);
  }

  private FileBlobStore(Path root, boolean owner) {
    Path absolute = root.toAbsolutePath();
    this.blobs = absolute.resolve("sha256");
    this.tmp = absolute.resolve("tmp");
    this.ownTmp = tmp.resolve(java.util.UUID.randomUUID().toString());
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
    try {
      Files.createDirectories(blobs);
      Files.createDirectories(tmp);
      if (owner) {
        removeAbandonedUploads(ABANDONED_AFTER, Instant.now());
      }
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
    Files.createDirectories(ownTmp);
    Path temp = Files.createTempFile(ownTmp, "upload-", TEMP_SUFFIX);
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
  public InputStream open(Sha256 digest, long offset, long length) throws IOException {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("a range has a non-negative offset and length");
    }
    FileChannel channel = FileChannel.open(pathOf(digest), StandardOpenOption.READ);
    channel.position(offset);
    InputStream in = java.nio.channels.Channels.newInputStream(channel);
    return new java.io.FilterInputStream(in) {
      private long remaining = length;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int n = super.read(b, off, (int) Math.min(len, remaining));
        if (n > 0) {
          remaining -= n;
        }
        return n;
      }
    };
  }

  @Override
  public Optional<Path> localPath(Sha256 digest) {
    Path path = pathOf(digest);
    return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
  }

  @Override
  public void verify(Sha256 digest) throws IOException {
    Path path = pathOf(digest);
    ReentrantLock lock = lockOf(digest);
    lock.lock();
    try {
      Stamp before = Stamp.of(Files.readAttributes(path, BasicFileAttributes.class));
      if (before.equals(verified.get(digest))) {
        return;
      }
      Sha256 actual = hash(path);
      if (actual.matches(digest)) {
        verified.put(digest, before);
        if (corrupted.remove(digest) != null) {
          LOG.info("blob {} has its digest again and is served again", digest.hex());
        }
        return;
      }
      verified.remove(digest);
      if (corrupted.put(digest, actual) == null) {
        LOG.error(
            "blob {} is corrupted: its file {} now has sha256 {}; it is not served until the file"
                + " is restored (from a backup, or by uploading the artifact to a new release)",
            digest.hex(),
            path,
            actual.hex());
      }
      throw new BlobCorruptedException(digest, actual);
    } finally {
      lock.unlock();
    }
  }

  /**
   * One {@code stat} of the blob's file compared with what its last verification saw; the
   * verification itself (a hash of the whole file) is left to {@link #verify}.
   */
  @Override
  public Optional<LocalFile> verifiedFile(Sha256 digest) throws IOException {
    Stamp seen = verified.get(digest);
    if (seen == null) {
      return Optional.empty();
    }
    Path path = pathOf(digest);
    BasicFileAttributes now;
    try {
      now = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return seen.equals(Stamp.of(now))
        ? Optional.of(new LocalFile(path, now.size()))
        : Optional.empty();
  }

  @Override
  public Set<Sha256> corrupted() {
    return Set.copyOf(corrupted.keySet());
  }

  /**
   * Every blob file in the store (not temp files). Files whose names are not a digest in the right
   * shard are reported by {@link #strayEntries()} instead.
   */
  @Override
  public List<Entry> list() throws IOException {
    List<Entry> found = new ArrayList<>();
    try (DirectoryStream<Path> shards = Files.newDirectoryStream(blobs)) {
      for (Path shard : shards) {
        if (!Files.isDirectory(shard)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
          for (Path file : files) {
            Optional<Sha256> digest = digestOf(shard, file);
            if (digest.isPresent()) {
              BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
              found.add(
                  new Entry(
                      digest.get(), file.toString(), a.size(), a.lastModifiedTime().toInstant()));
            }
          }
        }
      }
    }
    return found;
  }

  /** Files under the blob directory that are not named as a blob (left by hand or by a bug). */
  @Override
  public List<String> strayEntries() throws IOException {
    List<String> stray = new ArrayList<>();
    try (DirectoryStream<Path> shards = Files.newDirectoryStream(blobs)) {
      for (Path shard : shards) {
        if (!Files.isDirectory(shard)) {
          stray.add(shard.toString());
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
          for (Path file : files) {
            if (digestOf(shard, file).isEmpty()) {
              stray.add(file.toString());
            }
          }
        }
      }
    }
    return stray;
  }

  /** Hashes a blob file now, bypassing what {@link #verify} remembers (for fsck). */
  @Override
  public Sha256 rehash(Sha256 digest) throws IOException {
    return hash(pathOf(digest));
  }

  /**
   * Removes the blobs that {@code referenced} (asked after the candidates are listed) says no
   * release uses, and that have not been written or re-used for {@code grace}. An upload renames
   * its blob into place, or touches the blob it re-uses, under the same per-digest lock the
   * collector deletes under, so a blob an upload has just stored has a fresh modification time: the
   * collector leaves it alone for {@code grace}, far longer than the upload takes to record the
   * artifact. Safe against another process's uploads too, as long as {@code grace} is.
   *
   * @return the blobs removed
   */
  @Override
  public List<Entry> collectGarbage(
      java.util.function.Predicate<Sha256> referenced, Duration grace, Instant now)
      throws IOException {
    Instant cutoff = now.minus(grace);
    List<Entry> candidates = new ArrayList<>();
    for (Entry blob : list()) {
      if (blob.modified().isBefore(cutoff)) {
        candidates.add(blob);
      }
    }
    List<Entry> removed = new ArrayList<>();
    for (Entry blob : candidates) {
      if (referenced.test(blob.digest())) {
        continue;
      }
      ReentrantLock lock = lockOf(blob.digest());
      lock.lock();
      try {
        Path path = Path.of(blob.location());
        FileTime modified;
        try {
          modified = Files.getLastModifiedTime(path);
        } catch (NoSuchFileException e) {
          continue;
        }
        if (!modified.toInstant().isBefore(cutoff)) {
          continue; // an upload re-used it meanwhile
        }
        Files.deleteIfExists(path);
        verified.remove(blob.digest());
        corrupted.remove(blob.digest());
        removed.add(blob);
        LOG.info(
            "removed blob {} ({} bytes): no release references it", blob.digest(), blob.size());
      } finally {
        lock.unlock();
      }
    }
    return removed;
  }

  private Optional<Sha256> digestOf(Path shard, Path file) {
    String name = file.getFileName().toString();
    if (!Files.isRegularFile(file)
        || !HEX.matcher(name).matches()
        || !name.startsWith(shard.getFileName().toString())) {
      return Optional.empty();
    }
    return Optional.of(new Sha256(name));
  }

  private ReentrantLock lockOf(Sha256 digest) {
    return stripes[Math.floorMod(digest.hashCode(), STRIPES)];
  }

  private static Sha256 hash(Path file) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[BUFFER_SIZE];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        digest.update(buffer, 0, n);
      }
    }
    return Sha256.fromBytes(digest.digest());
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
    ReentrantLock lock = lockOf(digest);
    lock.lock();
    try {
      if (Files.exists(target)) {
        Files.delete(temp);
        // Re-used: a fresh modification time keeps the garbage collector away while the upload
        // records its reference (and makes the next serve verify the existing file).
        Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
        return;
      }
      try {
        // rename(2): atomic; if a concurrent upload of the same content won the race, it replaces
        // an identical, complete file, which readers that already opened it keep seeing unchanged.
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the blob directory must be on one file system with its tmp/", e);
      }
      // Just hashed while written: verified as it is now.
      verified.put(digest, Stamp.of(Files.readAttributes(target, BasicFileAttributes.class)));
    } finally {
      lock.unlock();
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

  @Override
  public int removeAbandonedUploads(Duration age, Instant now) throws IOException {
    Instant cutoff = now.minus(age);
    int removed = 0;
    // Temp files of earlier versions lie in tmp/ itself; this version's in tmp/<instance>/.
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry)) {
          // A directory untouched that long belongs to an instance that is gone.
          boolean abandoned = !entry.equals(ownTmp) && isOlderThan(entry, cutoff);
          try (DirectoryStream<Path> files = Files.newDirectoryStream(entry)) {
            for (Path file : files) {
              removed += removeIfAbandoned(file, cutoff);
            }
          }
          if (abandoned) {
            try {
              Files.deleteIfExists(entry); // only when empty: an instance may be writing again
            } catch (java.nio.file.DirectoryNotEmptyException e) {
              LOG.debug("{} is in use again", entry);
            }
          }
        } else {
          removed += removeIfAbandoned(entry, cutoff);
        }
      }
    }
    return removed;
  }

  private static int removeIfAbandoned(Path file, Instant cutoff) throws IOException {
    if (!isOlderThan(file, cutoff)) {
      return 0;
    }
    LOG.info("removing {}, left by an upload that did not finish", file);
    return Files.deleteIfExists(file) ? 1 : 0;
  }

  private static boolean isOlderThan(Path file, Instant cutoff) throws IOException {
    try {
      return Files.getLastModifiedTime(file).toInstant().isBefore(cutoff);
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @Override
  public String describe() {
    return blobs.getParent().toString();
  }

  /** Removes this instance's (empty) temp directory. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(ownTmp);
    } catch (IOException e) {
      LOG.debug("{} stays", ownTmp, e);
    }
  }
}
