package dev.sluice.store.blob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.blob.BlobStore.StoredBlob;
import dev.sluice.store.blob.FileBlobStoreTest.GeneratedStream;
import dev.sluice.trust.hash.Sha256;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The blob store contract on the S3-compatible store, against a real S3 server (S3Proxy). */
class S3BlobStoreContractTest extends BlobStoreContract {
  private static S3TestServer server;
  private static S3Client operator;
  private S3Location location;
  private S3BlobStore store;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3TestServer.start();
    operator = server.client();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (operator != null) {
      operator.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void open() {
    // Each test in its own prefix of the one bucket, as deployments share buckets.
    location = server.location("t-" + UUID.randomUUID() + "/");
    store = S3BlobStore.open(location, server.credentials());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Override
  ManagedBlobStore store() {
    return store;
  }

  @Override
  void overwrite(Sha256 digest, byte[] content) {
    operator.putObject(
        b -> b.bucket(location.bucket()).key(location.blobKey(digest.hex())),
        RequestBody.fromBytes(content));
  }

  @Override
  List<String> leftovers() {
    List<String> found = new ArrayList<>();
    operator
        .listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(location.stagingPrefix()))
        .contents()
        .stream()
        .map(S3Object::key)
        .forEach(found::add);
    operator
        .listMultipartUploadsPaginator(
            b -> b.bucket(location.bucket()).prefix(location.stagingPrefix()))
        .uploads()
        .forEach(u -> found.add("multipart " + u.key()));
    return found;
  }

  @Override
  void leaveAbandonedUpload() {
    String key = location.stagingPrefix() + "crashed-instance/upload";
    operator.putObject(b -> b.bucket(location.bucket()).key(key), RequestBody.fromString("part"));
    operator.createMultipartUpload(b -> b.bucket(location.bucket()).key(key + "-multipart"));
  }

  @Test
  void aBlobOverTheSingleCopyLimitIsCopiedIntoPlaceInParts() throws Exception {
    S3BlobStore smallCopies = store.withSingleCopyLimit(6L * 1024 * 1024);
    Sha256 expected = digestOf(new GeneratedStream(SEVERAL_PARTS, 21));

    StoredBlob blob =
        smallCopies.put(new GeneratedStream(SEVERAL_PARTS, 21), UNLIMITED, Optional.of(expected));

    assertThat(blob.size()).isEqualTo(SEVERAL_PARTS);
    try (InputStream in = store.open(expected)) {
      assertThat(digestOf(in)).isEqualTo(expected);
    }
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aLocationIsParsedFromItsUrl() {
    S3Location parsed =
        S3Location.parse("s3://artifacts/sluice/prod?endpoint=http://minio:9000&region=eu-west-1");

    assertThat(parsed.bucket()).isEqualTo("artifacts");
    assertThat(parsed.prefix()).isEqualTo("sluice/prod/");
    assertThat(parsed.endpoint()).hasValueSatisfying(e -> assertThat(e).hasPort(9000));
    assertThat(parsed.region()).isEqualTo("eu-west-1");
    assertThat(parsed.pathStyle()).isTrue();
  }
}
