package dev.sluice.store.blob;

import dev.sluice.core.blob.BlobStore;
import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@link BlobStore} as maintenance sees it (fsck, garbage collection, health): every stored blob,
 * what does not belong, re-hashing bypassing what {@link #verify} remembers, and removal. The file
 * store and the S3-compatible store both implement it, so {@code sluice fsck} and {@code sluice gc}
 * work on either.
 */
public interface ManagedBlobStore extends BlobStore, AutoCloseable {

  /** A stored blob: its digest, where it is (a path or an object key), size and last write. */
  record Entry(Sha256 digest, String location, long size, Instant modified) {}

  /** Every blob in the store (not uploads in progress). */
  List<Entry> list() throws IOException;

  /** What lies where blobs are kept but is not named as a blob (left by hand or by a bug). */
  List<String> strayEntries() throws IOException;

  /** Hashes a blob now, bypassing what {@link #verify} remembers (for fsck). */
  Sha256 rehash(Sha256 digest) throws IOException;

  /**
   * Removes the blobs that {@code referenced} (asked after the candidates are listed) says no
   * release uses, and that have not been written or re-used for {@code grace}: an upload that
   * stores or re-uses a blob gives it a fresh modification time before it records its reference.
   *
   * @return the blobs removed
   */
  List<Entry> collectGarbage(Predicate<Sha256> referenced, Duration grace, Instant now)
      throws IOException;

  /**
   * Removes what uploads that did not finish left behind (a crashed instance's temp files or staged
   * objects) once untouched for {@code age}; uploads in progress, on this instance or another, are
   * younger and stay.
   *
   * @return how many leftovers were removed
   */
  int removeAbandonedUploads(Duration age, Instant now) throws IOException;

  /** Where the store keeps blobs, for messages ({@code /data/blobs}, {@code s3://bucket/p/}). */
  String describe();

  /** Releases the store's resources (its HTTP client); the default has none. */
  @Override
  default void close() {}
}
