package dev.sluice.store.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.blob.BlobCorruptedException;
import dev.sluice.core.blob.BlobDigestMismatchException;
import dev.sluice.core.blob.BlobStore.StoredBlob;
import dev.sluice.core.blob.BlobTooLargeException;
import dev.sluice.store.blob.FileBlobStoreTest.FailingStream;
import dev.sluice.store.blob.FileBlobStoreTest.GeneratedStream;
import dev.sluice.trust.hash.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every blob store does, whatever keeps the bytes: run against the file store and against the
 * S3-compatible store on a real S3 server.
 */
abstract class BlobStoreContract {
  static final long UNLIMITED = Long.MAX_VALUE;
  // Over one part of the S3 store (8 MiB), so that multipart uploads are exercised.
  static final long SEVERAL_PARTS = 17L * 1024 * 1024 + 12_345;

  /** The store under test, fresh for each test. */
  abstract ManagedBlobStore store();

  /** Replaces the stored bytes of a blob behind the store's back (bit rot, a careless operator). */
  abstract void overwrite(Sha256 digest, byte[] content) throws Exception;

  /** What unfinished uploads left: temp files, staged objects, open multipart uploads. */
  abstract List<String> leftovers() throws Exception;

  /** Leaves what a crashed instance's upload would (in another instance's area). */
  abstract void leaveAbandonedUpload() throws Exception;

  @Test
  void storedBlobIsFoundAndOpened() throws IOException {
    byte[] content = "system image".getBytes(StandardCharsets.UTF_8);
    Sha256 digest = Sha256.of(content);

    StoredBlob blob =
        store().put(new ByteArrayInputStream(content), UNLIMITED, Optional.of(digest));

    assertThat(blob).isEqualTo(new StoredBlob(digest, content.length));
    assertThat(store().find(digest)).contains(blob);
    try (InputStream in = store().open(digest)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    store().verify(digest);
    assertThat(store().list()).extracting(ManagedBlobStore.Entry::digest).containsExactly(digest);
  }

  @Test
  void unknownDigestIsNotFound() throws IOException {
    Sha256 absent = Sha256.of(new byte[] {1});

    assertThat(store().find(absent)).isEmpty();
    assertThatThrownBy(() -> store().open(absent)).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> store().verify(absent)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void aRangeIsReadFromItsOffset() throws IOException {
    Sha256 digest =
        store().put(new GeneratedStream(SEVERAL_PARTS, 11), UNLIMITED, Optional.empty()).sha256();
    byte[] whole;
    try (InputStream in = store().open(digest)) {
      whole = in.readAllBytes();
    }
    long offset = 9L * 1024 * 1024 - 7;

    try (InputStream in = store().open(digest, offset, 100)) {
      assertThat(in.readAllBytes())
          .isEqualTo(java.util.Arrays.copyOfRange(whole, (int) offset, (int) offset + 100));
    }
    try (InputStream in = store().open(digest, 0, 0)) {
      assertThat(in.readAllBytes()).isEmpty();
    }
  }

  @Test
  void aBlobOfSeveralPartsIsStoredWhole() throws IOException {
    Sha256 expected = digestOf(new GeneratedStream(SEVERAL_PARTS, 3));

    StoredBlob blob =
        store().put(new GeneratedStream(SEVERAL_PARTS, 3), UNLIMITED, Optional.of(expected));

    assertThat(blob).isEqualTo(new StoredBlob(expected, SEVERAL_PARTS));
    try (InputStream in = store().open(expected)) {
      assertThat(digestOf(in)).isEqualTo(expected);
    }
    assertThat(store().rehash(expected)).isEqualTo(expected);
  }

  @Test
  void anEmptyBlobIsStored() throws IOException {
    StoredBlob blob = store().put(InputStream.nullInputStream(), UNLIMITED, Optional.empty());

    assertThat(blob.size()).isZero();
    assertThat(store().find(Sha256.of(new byte[0]))).contains(blob);
  }

  @Test
  void identicalContentIsStoredOnce() throws Exception {
    byte[] content = "same bytes".getBytes(StandardCharsets.UTF_8);

    StoredBlob first = store().put(new ByteArrayInputStream(content), UNLIMITED, Optional.empty());
    StoredBlob second = store().put(new ByteArrayInputStream(content), UNLIMITED, Optional.empty());

    assertThat(second).isEqualTo(first);
    assertThat(store().list()).hasSize(1);
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void digestMismatchIsRefusedAndLeavesNothing() throws Exception {
    Sha256 declared = Sha256.of("original".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(
            () ->
                store()
                    .put(new GeneratedStream(SEVERAL_PARTS, 5), UNLIMITED, Optional.of(declared)))
        .isInstanceOfSatisfying(
            BlobDigestMismatchException.class, e -> assertThat(e.expected()).isEqualTo(declared));
    assertThat(store().list()).isEmpty();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void uploadOverTheLimitIsRefusedAndLeavesNothing() throws Exception {
    long limit = 10L * 1024 * 1024;

    assertThatThrownBy(
            () -> store().put(new GeneratedStream(Long.MAX_VALUE, 7), limit, Optional.empty()))
        .isInstanceOf(BlobTooLargeException.class);
    assertThat(store().list()).isEmpty();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void clientDisconnectMidUploadLeavesNothing() throws Exception {
    InputStream disconnecting =
        new FailingStream(new GeneratedStream(SEVERAL_PARTS, 5), 12L * 1024 * 1024);

    assertThatThrownBy(() -> store().put(disconnecting, UNLIMITED, Optional.empty()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("connection reset by peer");
    assertThat(store().list()).isEmpty();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aBlobWhoseBytesChangedIsRefusedUntilRestored() throws Exception {
    byte[] content = "rootfs v1".getBytes(StandardCharsets.UTF_8);
    Sha256 digest =
        store().put(new ByteArrayInputStream(content), UNLIMITED, Optional.empty()).sha256();
    store().verify(digest);

    overwrite(digest, "rootfs v1 with a flipped bit".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> store().verify(digest))
        .isInstanceOfSatisfying(
            BlobCorruptedException.class, e -> assertThat(e.expected()).isEqualTo(digest));
    assertThat(store().corrupted()).containsExactly(digest);

    overwrite(digest, content);
    store().verify(digest);
    assertThat(store().corrupted()).isEmpty();
  }

  @Test
  void theCollectorRemovesOnlyUnreferencedBlobsPastTheGrace() throws IOException {
    Sha256 kept = put("referenced");
    Sha256 garbage = put("garbage");

    assertThat(store().collectGarbage(d -> false, Duration.ofHours(1), Instant.now())).isEmpty();
    List<ManagedBlobStore.Entry> removed =
        store()
            .collectGarbage(
                d -> d.equals(kept), Duration.ofHours(1), Instant.now().plusSeconds(7200));

    assertThat(removed).extracting(ManagedBlobStore.Entry::digest).containsExactly(garbage);
    assertThat(store().find(garbage)).isEmpty();
    assertThat(store().find(kept)).isPresent();
  }

  @Test
  void abandonedUploadsAreRemovedOnlyOnceOld() throws Exception {
    leaveAbandonedUpload();
    assertThat(leftovers()).isNotEmpty();

    assertThat(store().removeAbandonedUploads(Duration.ofHours(1), Instant.now())).isZero();
    assertThat(leftovers()).isNotEmpty();

    assertThat(store().removeAbandonedUploads(Duration.ofHours(1), Instant.now().plusSeconds(7200)))
        .isPositive();
    assertThat(leftovers()).isEmpty();
  }

  Sha256 put(String content) throws IOException {
    return store()
        .put(
            new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)),
            UNLIMITED,
            Optional.empty())
        .sha256();
  }

  static Sha256 digestOf(InputStream in) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) != -1) {
      digest.update(buffer, 0, n);
    }
    return Sha256.fromBytes(digest.digest());
  }
}
