package dev.sluice.server.ddi;

import static dev.sluice.server.ddi.DdiFixture.ddi;
import static dev.sluice.server.ddi.DdiFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.testing.Http;
import dev.sluice.store.blob.BlobStoreConfig;
import dev.sluice.store.blob.S3TestServer;
import dev.sluice.trust.hash.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Every download behaviour of {@link DdiArtifactHttpTest} with the artifacts in an S3-compatible
 * bucket (a real S3 server, S3Proxy) instead of the data directory: uploads go through the server
 * into the bucket, downloads and their ranges come back out of it, and an object changed in the
 * bucket is refused like a changed file.
 */
class DdiArtifactOnS3HttpTest extends DdiArtifactHttpTest {
  private static final String PREFIX = "fleet/";
  private S3TestServer s3;

  @Override
  DdiFixture fixture(Path dataDir) throws Exception {
    s3 = S3TestServer.start();
    Path credentials = s3.writeCredentialsFile(Files.createTempFile("s3", ".credentials"));
    BlobStoreConfig store =
        BlobStoreConfig.parse(Optional.of(s3.url(PREFIX)), Optional.of(credentials));
    return new DdiFixture(
        dataDir,
        Optional.empty(),
        c -> c.withPolling(Duration.ofMinutes(5), Duration.ZERO),
        c -> c.withBlobStore(store));
  }

  @AfterAll
  void stopS3() {
    s3.close();
  }

  @Test
  void theArtifactsAreInTheBucketAndNotInTheDataDirectory() throws Exception {
    try (S3Client client = s3.client()) {
      String key = PREFIX + "sha256/" + Sha256.of(content).hex();
      assertThat(client.headObject(b -> b.bucket(S3TestServer.BUCKET).key(key)).contentLength())
          .isEqualTo(content.length);
      assertThat(
              client
                  .listObjectsV2(b -> b.bucket(S3TestServer.BUCKET).prefix(PREFIX + "staging/"))
                  .contents())
          .isEmpty();
    }
    Path blobs = f.running.dataDir.resolve("blobs").resolve("sha256");
    try (Stream<Path> files = Files.exists(blobs) ? Files.walk(blobs) : Stream.empty()) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void anObjectChangedInTheBucketIsNotServed() throws Exception {
    String other = f.device("s3-tampered");
    String release = f.published("1.0.1", Map.of("boot.img", "boot v1".getBytes()));
    f.assign("s3-tampered", release, "forced", null);
    String path = ddi("s3-tampered") + "/softwaremodules/" + release + "/artifacts/boot.img";
    assertThat(f.get(path, target(other)).status()).isEqualTo(200);
    try (S3Client client = s3.client()) {
      String key = PREFIX + "sha256/" + Sha256.of("boot v1".getBytes()).hex();
      client.putObject(
          b -> b.bucket(S3TestServer.BUCKET).key(key), RequestBody.fromString("boot v2"));
    }

    Http.Response refused = f.get(path, target(other));

    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.text()).contains("SHA-256");
  }
}
