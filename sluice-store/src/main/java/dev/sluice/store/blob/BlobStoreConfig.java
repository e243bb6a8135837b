package dev.sluice.store.blob;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Which blob store holds the artifacts: the data directory's {@code blobs/} (the embedded default),
 * or an S3-compatible bucket, whose credentials come from {@code credentialsFile} or else the
 * environment (see {@link S3Credentials}).
 */
public record BlobStoreConfig(Optional<S3Location> s3, Optional<Path> credentialsFile) {
  public BlobStoreConfig {
    Objects.requireNonNull(s3, "s3");
    Objects.requireNonNull(credentialsFile, "credentialsFile");
    if (s3.isEmpty() && credentialsFile.isPresent()) {
      throw new IllegalArgumentException(
          "a blob store credentials file is given but no S3 blob store (--blob-store s3://...)");
    }
  }

  /** Blobs in the data directory. */
  public static BlobStoreConfig files() {
    return new BlobStoreConfig(Optional.empty(), Optional.empty());
  }

  /**
   * From the options' text: {@code url} empty or {@code file} for the data directory, {@code
   * s3://...} for a bucket.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static BlobStoreConfig parse(Optional<String> url, Optional<Path> credentialsFile) {
    Optional<String> text = url.map(String::strip).filter(u -> !u.isEmpty() && !u.equals("file"));
    return new BlobStoreConfig(text.map(S3Location::parse), credentialsFile);
  }

  /**
   * Opens the configured store; {@code dataBlobs} is the data directory's {@code blobs/}. With
   * {@code owner} false (maintenance alongside a running server) a file store leaves temp files
   * alone.
   */
  public ManagedBlobStore open(Path dataBlobs, boolean owner) {
    if (s3.isPresent()) {
      return S3BlobStore.open(s3.get(), S3Credentials.from(credentialsFile));
    }
    return owner ? new FileBlobStore(dataBlobs) : FileBlobStore.alongsideServer(dataBlobs);
  }
}
