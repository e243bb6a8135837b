package dev.sluice.server.ddi;

import static dev.sluice.server.ddi.DdiFixture.ddi;
import static dev.sluice.server.ddi.DdiFixture.deploymentHref;
import static dev.sluice.server.ddi.DdiFixture.path;
import static dev.sluice.server.ddi.DdiFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.testing.Http;
import dev.sluice.trust.hash.Sha256;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob changed on disk after upload is never served (issue 10, item 9): devices get 503 instead
 * of the bad bytes, its SHA-1/MD5 are never derived from them, health and the TUF status report it,
 * and restoring the file brings the artifact back without a restart.
 */
class CorruptedBlobHttpTest {
  @TempDir Path dataDir;
  DdiFixture f;

  @BeforeEach
  void start() {
    f = new DdiFixture(dataDir, c -> c.polling(Duration.ofMinutes(5), Duration.ZERO));
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void aBlobFlippedAfterItWasServedIsAnswered503AndServedAgainOnceRestored() throws Exception {
    String token = f.device("flip-1");
    f.assign("flip-1", f.release, "forced", null);
    JsonNode artifact = firstArtifact("flip-1", token);
    String download = path(artifact.get("_links").get("download-http").get("href").asText());
    byte[] content = f.files.get(artifact.get("filename").asText());
    assertThat(f.get(download, target(token)).body()).isEqualTo(content);

    Path blob = blobFile(Sha256.of(content));
    flipFirstByte(blob);
    Http.Response refused = f.get(download, target(token));
    assertThat(refused.status()).as(refused.text()).isEqualTo(503);
    assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.json().get("sha256").asText()).isEqualTo(Sha256.of(content).hex());
    JsonNode publicHealth = f.http.get("/api/v1/health", null).json();
    assertThat(publicHealth.get("status").asText()).isEqualTo("degraded");
    assertThat(publicHealth.size()).as("the public health is the status alone").isEqualTo(1);
    Http.Response unknownToken = f.http.get("/api/v1/health", "sluice_" + "x".repeat(43));
    assertThat(unknownToken.status()).isEqualTo(200);
    assertThat(unknownToken.json()).isEqualTo(publicHealth);
    JsonNode health = f.http.get("/api/v1/health", f.p.adminToken).json();
    assertThat(health.get("status").asText()).isEqualTo("degraded");
    assertThat(health.toString()).contains("corrupted_blobs").contains(Sha256.of(content).hex());
    JsonNode tuf = f.http.get("/api/v1/tuf/status", f.p.adminToken).json();
    assertThat(tuf.get("corrupted_blobs").toString()).contains(Sha256.of(content).hex());
    Http.Response management =
        f.http.get(
            "/api/v1/releases/" + f.release + "/artifacts/" + artifact.get("filename").asText(),
            f.p.adminToken);
    assertThat(management.status()).isEqualTo(503);

    flipFirstByte(blob); // restored
    assertThat(f.get(download, target(token)).body()).isEqualTo(content);
    assertThat(f.http.get("/api/v1/health", null).json().get("status").asText()).isEqualTo("ok");
  }

  @Test
  void aBlobFlippedWhileTheDeviceHoldsAGrantIsAnswered503() throws Exception {
    String token = f.device("flip-3");
    f.assign("flip-3", f.release, "forced", null);
    JsonNode artifact = firstArtifact("flip-3", token);
    String download = path(artifact.get("_links").get("download-http").get("href").asText());
    byte[] content = f.files.get(artifact.get("filename").asText());
    // Noted, then granted: the later requests are answered from the grant.
    for (int i = 0; i < 3; i++) {
      assertThat(f.get(download, target(token)).body()).isEqualTo(content);
    }

    flipFirstByte(blobFile(Sha256.of(content)));
    Http.Response refused = f.get(download, target(token), Map.of("Range", "bytes=0-9"));
    assertThat(refused.status()).as(refused.text()).isEqualTo(503);
  }

  @Test
  void theMd5AndSha1OfACorruptedBlobAreNeverComputed() throws Exception {
    byte[] content = f.files.values().iterator().next();
    flipFirstByte(blobFile(Sha256.of(content)));
    String token = f.device("flip-2");
    f.assign("flip-2", f.release, "forced", null);
    String href = deploymentHref(f.get(ddi("flip-2"), target(token)).json());
    Http.Response deployment = f.get(path(href), target(token));
    assertThat(deployment.status()).as(deployment.text()).isEqualTo(503);
    assertThat(f.http.get("/api/v1/health", f.p.adminToken).json().toString())
        .contains(Sha256.of(content).hex());
    assertThat(f.http.get("/api/v1/health", null).json().toString())
        .doesNotContain(Sha256.of(content).hex());
  }

  private JsonNode firstArtifact(String device, String token) {
    String href = deploymentHref(f.get(ddi(device), target(token)).json());
    JsonNode d = f.get(path(href), target(token)).json();
    return d.get("deployment").get("chunks").get(0).get("artifacts").get(0);
  }

  private Path blobFile(Sha256 digest) {
    return dataDir
        .resolve("blobs")
        .resolve("sha256")
        .resolve(digest.hex().substring(0, 2))
        .resolve(digest.hex());
  }

  private static void flipFirstByte(Path file) throws Exception {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      int b = raf.read();
      raf.seek(0);
      raf.write(b ^ 0xff);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
    // Some file systems keep modification times in coarse steps: make the change visible.
    Files.setLastModifiedTime(
        file,
        java.nio.file.attribute.FileTime.fromMillis(
            Files.getLastModifiedTime(file).toMillis() + 1000));
  }
}
