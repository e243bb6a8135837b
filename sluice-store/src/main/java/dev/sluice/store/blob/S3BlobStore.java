package dev.sluice.store.blob;

import dev.sluice.core.blob.BlobCorruptedException;
import dev.sluice.core.blob.BlobDigestMismatchException;
import dev.sluice.core.blob.BlobTooLargeException;
import dev.sluice.trust.hash.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link ManagedBlobStore} in an S3-compatible object store, laid out as {@code
 * <prefix>sha256/<64 hex>}. An upload streams into a staging object under this instance's own
 * {@code <prefix>staging/<instance>/} (a multipart upload with one reused part buffer, or one PUT
 * when it fits in a part), is hashed and size-checked on the way, and only when its digest is right
 * is it copied to its content address and the staging object deleted; on a mismatch, an oversized
 * or a broken stream, the multipart upload is aborted or the staging object deleted. A blob key
 * that exists is therefore always complete and has the digest it is named by, and the staged
 * leftovers of a crashed instance are collected by age ({@link #removeAbandonedUploads}), never
 * another instance's upload in progress.
 *
 * <p>Calls used: PutObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
 * AbortMultipartUpload, CopyObject (UploadPartCopy over 5 GiB), HeadObject, GetObject with Range,
 * ListObjectsV2, ListMultipartUploads, DeleteObject. Request checksums are sent only where the
 * protocol requires them, so stores without the newer checksum headers work.
 *
 * <p>A blob is {@linkplain #verify verified} before it is first served and again whenever its
 * object changes (ETag, size or modification time, one HEAD request): an object overwritten in the
 * bucket is never served under the digest it no longer has.
 */
public final class S3BlobStore implements ManagedBlobStore {
  private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
  private static final int MIN_PART = 8 * 1024 * 1024;
  private static final int MAX_PART = 64 * 1024 * 1024;
  // S3 allows 10,000 parts; the part size grows with the declared limit to stay well below.
  private static final long PARTS = 9_000;
  // CopyObject copies at most 5 GiB; larger blobs are copied part by part.
  static final long SINGLE_COPY_LIMIT = 5L * 1024 * 1024 * 1024;
  private static final long COPY_PART = 1024L * 1024 * 1024;
  private static final int BUFFER_SIZE = 64 * 1024;

  private final S3Client client;
  private final S3Location location;
  private final String staging;
  private final long singleCopyLimit;
  private final ConcurrentHashMap<Sha256, Stamp> verified = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Sha256, Sha256> corrupted = new ConcurrentHashMap<>();

  /** What a verification saw of a blob object; a different stamp means the object changed. */
  private record Stamp(String etag, long size, Instant modified) {
    static Stamp of(HeadObjectResponse head) {
      return new Stamp(head.eTag(), head.contentLength(), head.lastModified());
    }
  }

  S3BlobStore(S3Client client, S3Location location, long singleCopyLimit) {
    this.client = Objects.requireNonNull(client, "client");
    this.location = Objects.requireNonNull(location, "location");
    this.staging = location.stagingPrefix() + UUID.randomUUID() + "/";
    this.singleCopyLimit = singleCopyLimit;
  }

  /**
   * Opens the store at {@code location} with these credentials (the environment's, a credentials
   * file's) through the JDK's HTTP client, and checks that the bucket can be reached.
   *
   * @throws dev.sluice.store.StoreException if the bucket cannot be reached
   */
  public static S3BlobStore open(S3Location location, AwsCredentialsProvider credentials) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(Region.of(location.region()))
            .credentialsProvider(credentials)
            .forcePathStyle(location.pathStyle())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    location.endpoint().ifPresent(builder::endpointOverride);
    S3Client client = builder.build();
    try {
      client.headBucket(b -> b.bucket(location.bucket()));
    } catch (SdkException e) {
      client.close();
      throw new dev.sluice.store.StoreException(
          "cannot reach the blob store " + location + ": " + e.getMessage(), e);
    }
    return new S3BlobStore(client, location, SINGLE_COPY_LIMIT);
  }

  /** The same store copying blobs over {@code limit} part by part (tests use a small limit). */
  S3BlobStore withSingleCopyLimit(long limit) {
    return new S3BlobStore(client, location, limit);
  }

  @Override
  public StoredBlob put(InputStream content, long maxBytes, Optional<Sha256> expected)
      throws IOException {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(expected, "expected");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes cannot be negative");
    }
    String stagingKey = staging + UUID.randomUUID();
    StagedUpload upload =
        new StagedUpload(client, location.bucket(), stagingKey, partSize(maxBytes));
    StoredBlob blob;
    try {
      blob = upload.write(content, maxBytes);
    } catch (IOException | RuntimeException | Error e) {
      upload.abort(e);
      throw wrap(e, "storing an upload");
    }
    try {
      if (expected.isPresent() && !expected.get().matches(blob.sha256())) {
        throw new BlobDigestMismatchException(expected.get(), blob.sha256());
      }
      copyIntoPlace(stagingKey, blob);
      return blob;
    } catch (IOException | RuntimeException | Error e) {
      throw wrap(e, "storing an upload");
    } finally {
      deleteQuietly(stagingKey);
    }
  }

  private static int partSize(long maxBytes) {
    long wanted = maxBytes / PARTS + 1;
    return (int) Math.max(MIN_PART, Math.min(MAX_PART, wanted));
  }

  /**
   * Copies the checked staging object to its content address. Identical content may already be
   * there (an earlier or concurrent upload): it is copied over all the same, with identical bytes,
   * which gives it a fresh modification time that keeps the garbage collector away while the upload
   * records its reference.
   */
  private void copyIntoPlace(String stagingKey, StoredBlob blob) {
    String key = location.blobKey(blob.sha256().hex());
    if (blob.size() <= singleCopyLimit) {
      client.copyObject(
          b ->
              b.sourceBucket(location.bucket())
                  .sourceKey(stagingKey)
                  .destinationBucket(location.bucket())
                  .destinationKey(key));
    } else {
      copyInParts(stagingKey, key, blob.size());
    }
    // Just hashed on the way in: verified as it is now.
    verified.put(
        blob.sha256(), Stamp.of(client.headObject(b -> b.bucket(location.bucket()).key(key))));
  }

  private void copyInParts(String source, String target, long size) {
    String bucket = location.bucket();
    String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(target)).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      long step = Math.min(COPY_PART, singleCopyLimit);
      int number = 1;
      for (long first = 0; first < size; first += step, number++) {
        long last = Math.min(size, first + step) - 1;
        int partNumber = number;
        String range = "bytes=" + first + "-" + last;
        String etag =
            client
                .uploadPartCopy(
                    b ->
                        b.sourceBucket(bucket)
                            .sourceKey(source)
                            .destinationBucket(bucket)
                            .destinationKey(target)
                            .uploadId(uploadId)
                            .partNumber(partNumber)
                            .copySourceRange(range))
                .copyPartResult()
                .eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
      }
      client.completeMultipartUpload(
          b ->
              b.bucket(bucket).key(target).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    } catch (RuntimeException e) {
      try {
        client.abortMultipartUpload(b -> b.bucket(bucket).key(target).uploadId(uploadId));
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  @Override
  public Optional<StoredBlob> find(Sha256 digest) throws IOException {
    return head(digest).map(h -> new StoredBlob(digest, h.contentLength()));
  }

  @Override
  public InputStream open(Sha256 digest) throws IOException {
    try {
      return client.getObject(b -> b.bucket(location.bucket()).key(key(digest)));
    } catch (S3Exception e) {
      throw notFoundOr(e, digest);
    } catch (SdkException e) {
      throw wrap(e, "reading blob " + digest.hex());
    }
  }

  @Override
  public InputStream open(Sha256 digest, long offset, long length) throws IOException {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("a range has a non-negative offset and length");
    }
    if (length == 0) {
      find(digest).orElseThrow(() -> new NoSuchFileException(key(digest)));
      return InputStream.nullInputStream();
    }
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    try {
      return client.getObject(b -> b.bucket(location.bucket()).key(key(digest)).range(range));
    } catch (S3Exception e) {
      throw notFoundOr(e, digest);
    } catch (SdkException e) {
      throw wrap(e, "reading blob " + digest.hex());
    }
  }

  @Override
  public Optional<Path> localPath(Sha256 digest) {
    return Optional.empty();
  }

  @Override
  public void verify(Sha256 digest) throws IOException {
    HeadObjectResponse head = head(digest).orElseThrow(() -> new NoSuchFileException(key(digest)));
    Stamp before = Stamp.of(head);
    if (before.equals(verified.get(digest))) {
      return;
    }
    Sha256 actual = rehash(digest);
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
          "blob {} is corrupted: its object s3://{}/{} now has sha256 {}; it is not served until"
              + " the object is restored (from a backup or a bucket version, or by uploading the"
              + " artifact to a new release)",
          digest.hex(),
          location.bucket(),
          key(digest),
          actual.hex());
    }
    throw new BlobCorruptedException(digest, actual);
  }

  @Override
  public Set<Sha256> corrupted() {
    return Set.copyOf(corrupted.keySet());
  }

  @Override
  public List<Entry> list() throws IOException {
    List<Entry> found = new ArrayList<>();
    for (S3Object object : objects(location.blobPrefix())) {
      digestOf(object.key())
          .ifPresent(
              d -> found.add(new Entry(d, object.key(), object.size(), object.lastModified())));
    }
    return found;
  }

  @Override
  public List<String> strayEntries() throws IOException {
    List<String> stray = new ArrayList<>();
    for (S3Object object : objects(location.blobPrefix())) {
      if (digestOf(object.key()).isEmpty()) {
        stray.add("s3://" + location.bucket() + "/" + object.key());
      }
    }
    return stray;
  }

  @Override
  public Sha256 rehash(Sha256 digest) throws IOException {
    MessageDigest sha = Sha256.newDigest();
    byte[] buffer = new byte[BUFFER_SIZE];
    try (InputStream in = open(digest)) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        sha.update(buffer, 0, n);
      }
    } catch (SdkException e) {
      throw wrap(e, "reading blob " + digest.hex());
    }
    return Sha256.fromBytes(sha.digest());
  }

  @Override
  public List<Entry> collectGarbage(Predicate<Sha256> referenced, Duration grace, Instant now)
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
      // An upload that re-used the blob meanwhile copied it anew: a fresh modification time.
      Optional<HeadObjectResponse> head = head(blob.digest());
      if (head.isEmpty() || !head.get().lastModified().isBefore(cutoff)) {
        continue;
      }
      deleteObject(blob.location());
      verified.remove(blob.digest());
      corrupted.remove(blob.digest());
      removed.add(blob);
      LOG.info("removed blob {} ({} bytes): no release references it", blob.digest(), blob.size());
    }
    return removed;
  }

  @Override
  public int removeAbandonedUploads(Duration age, Instant now) throws IOException {
    Instant cutoff = now.minus(age);
    int removed = 0;
    for (S3Object object : objects(location.stagingPrefix())) {
      if (object.lastModified().isBefore(cutoff)) {
        LOG.info("removing {}, staged by an upload that did not finish", object.key());
        deleteObject(object.key());
        removed++;
      }
    }
    try {
      for (MultipartUpload upload :
          client
              .listMultipartUploadsPaginator(
                  b -> b.bucket(location.bucket()).prefix(location.stagingPrefix()))
              .uploads()) {
        if (upload.initiated() != null && upload.initiated().isBefore(cutoff)) {
          LOG.info("aborting the multipart upload of {}, which did not finish", upload.key());
          client.abortMultipartUpload(
              b -> b.bucket(location.bucket()).key(upload.key()).uploadId(upload.uploadId()));
          removed++;
        }
      }
    } catch (S3Exception e) {
      if (e.statusCode() != 501) {
        throw wrap(e, "listing unfinished multipart uploads");
      }
      // A store without ListMultipartUploads: its own expiry (a lifecycle rule) has to do it.
      LOG.debug("the blob store cannot list multipart uploads", e);
    } catch (SdkException e) {
      throw wrap(e, "listing unfinished multipart uploads");
    }
    return removed;
  }

  @Override
  public String describe() {
    return location.toString();
  }

  @Override
  public void close() {
    client.close();
  }

  private Iterable<S3Object> objects(String prefix) throws IOException {
    try {
      List<S3Object> all = new ArrayList<>();
      client
          .listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(prefix))
          .contents()
          .forEach(all::add);
      return all;
    } catch (SdkException e) {
      throw wrap(e, "listing " + prefix);
    }
  }

  private Optional<HeadObjectResponse> head(Sha256 digest) throws IOException {
    try {
      return Optional.of(client.headObject(b -> b.bucket(location.bucket()).key(key(digest))));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw wrap(e, "looking up blob " + digest.hex());
    } catch (SdkException e) {
      throw wrap(e, "looking up blob " + digest.hex());
    }
  }

  private void deleteObject(String key) throws IOException {
    try {
      client.deleteObject(b -> b.bucket(location.bucket()).key(key));
    } catch (SdkException e) {
      throw wrap(e, "deleting " + key);
    }
  }

  private void deleteQuietly(String key) {
    try {
      client.deleteObject(b -> b.bucket(location.bucket()).key(key));
    } catch (SdkException e) {
      LOG.warn("could not delete the staging object {}; it is collected later", key, e);
    }
  }

  private Optional<Sha256> digestOf(String key) {
    String name = key.substring(location.blobPrefix().length());
    return HEX.matcher(name).matches() ? Optional.of(new Sha256(name)) : Optional.empty();
  }

  private String key(Sha256 digest) {
    return location.blobKey(digest.hex());
  }

  private IOException notFoundOr(S3Exception e, Sha256 digest) {
    if (e.statusCode() == 404) {
      NoSuchFileException missing = new NoSuchFileException(key(digest));
      missing.initCause(e);
      return missing;
    }
    return wrap(e, "reading blob " + digest.hex());
  }

  /** The store's failures as {@link IOException}s, as the port declares (503, not 500). */
  private static IOException wrap(Throwable e, String doing) {
    if (e instanceof IOException io) {
      return io;
    }
    if (e instanceof Error error) {
      throw error;
    }
    return new IOException("the blob store failed " + doing + ": " + e.getMessage(), e);
  }

  /**
   * One upload to a staging key: a single PUT when the content fits in one part, else a multipart
   * upload whose parts go from one reused buffer. Hashes and counts as it goes.
   */
  private static final class StagedUpload {
    private final S3Client client;
    private final String bucket;
    private final String key;
    private final byte[] buffer;
    private String uploadId;

    StagedUpload(S3Client client, String bucket, String key, int partSize) {
      this.client = client;
      this.bucket = bucket;
      this.key = key;
      this.buffer = new byte[partSize];
    }

    StoredBlob write(InputStream content, long maxBytes) throws IOException {
      MessageDigest digest = Sha256.newDigest();
      List<CompletedPart> parts = new ArrayList<>();
      long size = 0;
      while (true) {
        int filled = fill(content);
        size += filled;
        if (size > maxBytes) {
          throw new BlobTooLargeException(maxBytes);
        }
        digest.update(buffer, 0, filled);
        boolean last = filled < buffer.length;
        if (last && uploadId == null) {
          client.putObject(b -> b.bucket(bucket).key(key), body(filled));
          break;
        }
        if (uploadId == null) {
          uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        }
        if (filled > 0 || parts.isEmpty()) {
          int number = parts.size() + 1;
          String etag =
              client
                  .uploadPart(
                      b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                      body(filled))
                  .eTag();
          parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        if (last) {
          client.completeMultipartUpload(
              b ->
                  b.bucket(bucket)
                      .key(key)
                      .uploadId(uploadId)
                      .multipartUpload(m -> m.parts(parts)));
          uploadId = null;
          break;
        }
      }
      return new StoredBlob(Sha256.fromBytes(digest.digest()), size);
    }

    /** Reads until the buffer is full or the stream ends. */
    private int fill(InputStream content) throws IOException {
      int filled = 0;
      while (filled < buffer.length) {
        int n = content.read(buffer, filled, buffer.length - filled);
        if (n == -1) {
          break;
        }
        filled += n;
      }
      return filled;
    }

    private RequestBody body(int length) {
      byte[] bytes = buffer;
      return RequestBody.fromContentProvider(
          () -> new ByteArrayInputStream(bytes, 0, length), length, "application/octet-stream");
    }

    /** Leaves nothing behind: aborts the multipart upload or deletes the staged object. */
    void abort(Throwable cause) {
      try {
        if (uploadId != null) {
          String id = uploadId;
          client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id));
        } else {
          client.deleteObject(b -> b.bucket(bucket).key(key));
        }
      } catch (RuntimeException cleanup) {
        cause.addSuppressed(cleanup);
      }
    }
  }
}
