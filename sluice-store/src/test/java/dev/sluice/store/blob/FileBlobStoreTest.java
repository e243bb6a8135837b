package dev.sluice.store.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import dev.sluice.core.blob.BlobDigestMismatchException;
import dev.sluice.core.blob.BlobStore.LocalFile;
import dev.sluice.core.blob.BlobStore.StoredBlob;
import dev.sluice.core.blob.BlobTooLargeException;
import dev.sluice.trust.hash.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest {
  @TempDir Path root;

  private static final long UNLIMITED = Long.MAX_VALUE;

  @Test
  void storedBlobIsFoundOpenedAndLaidOutByDigest() throws IOException {
    FileBlobStore store = new FileBlobStore(root);
    byte[] content = "system image".getBytes(StandardCharsets.UTF_8);
    Sha256 digest = Sha256.of(content);

    StoredBlob blob = store.put(new ByteArrayInputStream(content), UNLIMITED, Optional.of(digest));

    assertThat(blob).isEqualTo(new StoredBlob(digest, content.length));
    assertThat(store.find(digest)).contains(blob);
    try (InputStream in = store.open(digest)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    Path expectedPath =
        root.resolve("sha256").resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    assertThat(store.localPath(digest)).contains(expectedPath.toAbsolutePath());
    assertThat(Files.getPosixFilePermissions(expectedPath))
        .isEqualTo(PosixFilePermissions.fromString("r--r--r--"));
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void unknownDigestIsNotFound() throws IOException {
    FileBlobStore store = new FileBlobStore(root);
    Sha256 absent = Sha256.of(new byte[] {1});

    assertThat(store.find(absent)).isEmpty();
    assertThat(store.localPath(absent)).isEmpty();
    assertThatThrownBy(() -> store.open(absent)).isInstanceOf(IOException.class);
  }

  @Test
  void aBlobVerifiedAsItsFileIsNowIsServedFromItsLocalFile() throws IOException {
    FileBlobStore store = new FileBlobStore(root);
    byte[] content = "verified image".getBytes(StandardCharsets.UTF_8);
    Sha256 digest = Sha256.of(content);
    store.put(new ByteArrayInputStream(content), UNLIMITED, Optional.empty());

    // Hashed while it was written: verified as stored.
    assertThat(store.verifiedFile(digest))
        .contains(new LocalFile(store.localPath(digest).orElseThrow(), content.length));

    FileBlobStore reopened = new FileBlobStore(root);
    assertThat(reopened.verifiedFile(digest)).isEmpty();
    reopened.verify(digest);
    assertThat(reopened.verifiedFile(digest))
        .contains(new LocalFile(store.localPath(digest).orElseThrow(), content.length));
  }

  @Test
  void aBlobWhoseFileChangedOrVanishedIsNotServedWithoutAVerification() throws Exception {
    FileBlobStore store = new FileBlobStore(root);
    byte[] content = "original image".getBytes(StandardCharsets.UTF_8);
    Sha256 digest = Sha256.of(content);
    store.put(new ByteArrayInputStream(content), UNLIMITED, Optional.empty());
    Path file = store.localPath(digest).orElseThrow();

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.write(file, "tampered image, longer".getBytes(StandardCharsets.UTF_8));

    assertThat(store.verifiedFile(digest)).isEmpty();
    assertThatThrownBy(() -> store.verify(digest))
        .isInstanceOf(dev.sluice.core.blob.BlobCorruptedException.class);
    assertThat(store.verifiedFile(digest)).isEmpty();

    Files.delete(file);
    assertThat(store.verifiedFile(digest)).isEmpty();
  }

  @Test
  void identicalContentIsStoredOnce() throws IOException {
    FileBlobStore store = new FileBlobStore(root);
    byte[] content = "same bytes".getBytes(StandardCharsets.UTF_8);

    StoredBlob first = store.put(new ByteArrayInputStream(content), UNLIMITED, Optional.empty());
    StoredBlob second = store.put(new ByteArrayInputStream(content), UNLIMITED, Optional.empty());

    assertThat(second).isEqualTo(first);
    assertThat(blobFiles()).hasSize(1);
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void digestMismatchIsRefusedAndLeavesNothing() throws IOException {
    FileBlobStore store = new FileBlobStore(root);
    byte[] content = "tampered".getBytes(StandardCharsets.UTF_8);
    Sha256 declared = Sha256.of("original".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(
            () -> store.put(new ByteArrayInputStream(content), UNLIMITED, Optional.of(declared)))
        .isInstanceOfSatisfying(
            BlobDigestMismatchException.class,
            e -> {
              assertThat(e.expected()).isEqualTo(declared);
              assertThat(e.actual()).isEqualTo(Sha256.of(content));
            });
    assertThat(store.find(Sha256.of(content))).isEmpty();
    assertThat(blobFiles()).isEmpty();
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void uploadOverTheLimitIsRefusedAsSoonAsItIsExceededAndLeavesNothing() throws IOException {
    FileBlobStore store = new FileBlobStore(root);
    long limit = 100_000;
    GeneratedStream endless = new GeneratedStream(Long.MAX_VALUE, 7);

    assertThatThrownBy(() -> store.put(endless, limit, Optional.empty()))
        .isInstanceOfSatisfying(
            BlobTooLargeException.class, e -> assertThat(e.limit()).isEqualTo(limit));
    assertThat(endless.delivered()).isLessThanOrEqualTo(limit + 64 * 1024);
    assertThat(blobFiles()).isEmpty();
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void uploadOfExactlyTheLimitIsAccepted() throws IOException {
    FileBlobStore store = new FileBlobStore(root);

    StoredBlob blob = store.put(new GeneratedStream(1000, 3), 1000, Optional.empty());

    assertThat(blob.size()).isEqualTo(1000);
  }

  @Test
  void clientDisconnectMidUploadLeavesNothing() throws IOException {
    FileBlobStore store = new FileBlobStore(root);
    InputStream disconnecting = new FailingStream(new GeneratedStream(1 << 20, 5), 300_000);

    assertThatThrownBy(() -> store.put(disconnecting, UNLIMITED, Optional.empty()))
        .isInstanceOf(IOException.class)
        .hasMessage("connection reset by peer");
    assertThat(blobFiles()).isEmpty();
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void abandonedTempFilesFromACrashAreRemovedOnOpen() throws IOException {
    Path crashed = Files.createDirectories(root.resolve("tmp").resolve("crashed-instance"));
    Path legacy = root.resolve("tmp").resolve("upload-123.part");
    Files.createDirectories(root.resolve("tmp"));
    Files.write(crashed.resolve("upload-1.part"), new byte[] {1, 2, 3});
    Files.write(legacy, new byte[] {1, 2, 3});
    age(crashed.resolve("upload-1.part"));
    age(legacy);
    age(crashed);

    new FileBlobStore(root);

    assertThat(tempFiles()).isEmpty();
    assertThat(crashed).doesNotExist();
  }

  @Test
  void anotherInstancesUploadInProgressSurvivesThisInstanceStarting() throws IOException {
    Path other = Files.createDirectories(root.resolve("tmp").resolve("other-instance"));
    Path receiving = Files.write(other.resolve("upload-7.part"), new byte[] {4, 5, 6});

    new FileBlobStore(root);

    assertThat(receiving).exists();
  }

  @Test
  void eachInstanceWritesItsTempFilesInItsOwnDirectory() throws Exception {
    FileBlobStore first = new FileBlobStore(root);
    FileBlobStore second = new FileBlobStore(root);
    CountDownLatch writing = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      List<Future<StoredBlob>> uploads = new ArrayList<>();
      for (FileBlobStore store : List.of(first, second)) {
        uploads.add(
            pool.submit(
                () -> store.put(new PausingStream(writing, release), UNLIMITED, Optional.empty())));
      }
      writing.await();
      assertThat(tempFiles()).hasSize(2);
      assertThat(tempFiles().stream().map(Path::getParent).distinct()).hasSize(2);
      release.countDown();
      for (Future<StoredBlob> upload : uploads) {
        upload.get();
      }
    }
    first.close();
    second.close();
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void aRangeOfABlobIsReadFromItsOffset() throws IOException {
    FileBlobStore store = new FileBlobStore(root);
    byte[] content = "0123456789".getBytes(StandardCharsets.UTF_8);
    Sha256 digest =
        store.put(new ByteArrayInputStream(content), UNLIMITED, Optional.empty()).sha256();

    try (InputStream in = store.open(digest, 3, 4)) {
      assertThat(in.readAllBytes()).isEqualTo("3456".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void age(Path file) throws IOException {
    Files.setLastModifiedTime(
        file,
        java.nio.file.attribute.FileTime.from(
            java.time.Instant.now().minus(FileBlobStore.ABANDONED_AFTER).minusSeconds(60)));
  }

  /** Delivers a few bytes, then waits for a signal before ending (an upload in progress). */
  static final class PausingStream extends InputStream {
    private final CountDownLatch writing;
    private final CountDownLatch release;
    private boolean sent;

    PausingStream(CountDownLatch writing, CountDownLatch release) {
      this.writing = writing;
      this.release = release;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (!sent) {
        sent = true;
        b[off] = 42;
        return 1;
      }
      writing.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      return -1;
    }
  }

  @Test
  void largeUploadStreamsThroughWithoutBeingHeldInMemory() throws IOException {
    FileBlobStore store = new FileBlobStore(root);
    long size = 300L * 1024 * 1024;
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
    StoredBlob blob = store.put(new GeneratedStream(size, 42), size, Optional.empty());
    long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;

    assertThat(blob.size()).isEqualTo(size);
    assertThat(blob.sha256()).isEqualTo(digestOf(new GeneratedStream(size, 42)));
    assertThat(Files.size(store.localPath(blob.sha256()).orElseThrow())).isEqualTo(size);
    assertThat(allocated).as("bytes allocated by put").isLessThan(8L * 1024 * 1024);
  }

  @Test
  void concurrentUploadsOfTheSameContentAllSucceedAndStoreOneFile() throws Exception {
    FileBlobStore store = new FileBlobStore(root);
    int uploads = 8;
    long size = 2 * 1024 * 1024;
    Sha256 expected = digestOf(new GeneratedStream(size, 9));
    CountDownLatch start = new CountDownLatch(1);
    List<Future<StoredBlob>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(uploads)) {
      for (int i = 0; i < uploads; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return store.put(new GeneratedStream(size, 9), size, Optional.of(expected));
                }));
      }
      start.countDown();
      for (Future<StoredBlob> result : results) {
        assertThat(result.get()).isEqualTo(new StoredBlob(expected, size));
      }
    }
    assertThat(blobFiles()).hasSize(1);
    assertThat(tempFiles()).isEmpty();
    try (InputStream in = store.open(expected)) {
      assertThat(digestOf(in)).isEqualTo(expected);
    }
  }

  private List<Path> tempFiles() throws IOException {
    try (Stream<Path> files = Files.walk(root.resolve("tmp"))) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  private List<Path> blobFiles() throws IOException {
    try (Stream<Path> files = Files.walk(root.resolve("sha256"))) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  private static Sha256 digestOf(InputStream in) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) != -1) {
      digest.update(buffer, 0, n);
    }
    return Sha256.fromBytes(digest.digest());
  }

  /** A deterministic pseudo-random stream of a given length that never holds its content. */
  static final class GeneratedStream extends InputStream {
    private final long length;
    private long position;
    private long state;

    GeneratedStream(long length, long seed) {
      this.length = length;
      this.state = seed * 0x9E3779B97F4A7C15L + 1;
    }

    long delivered() {
      return position;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= length) {
        return -1;
      }
      int n = (int) Math.min(len, length - position);
      for (int i = 0; i < n; i++) {
        // xorshift64: cheap and deterministic
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        b[off + i] = (byte) state;
      }
      position += n;
      return n;
    }
  }

  /** Delivers some bytes of another stream, then fails like a dropped connection. */
  static final class FailingStream extends InputStream {
    private final InputStream delegate;
    private long remaining;

    FailingStream(InputStream delegate, long failAfter) {
      this.delegate = delegate;
      this.remaining = failAfter;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        throw new IOException("connection reset by peer");
      }
      int n = delegate.read(b, off, (int) Math.min(len, remaining));
      remaining -= Math.max(n, 0);
      return n;
    }
  }
}
