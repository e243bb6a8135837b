package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.trust.hash.Sha256;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifacts stream through the server: a body larger than the test JVM's heap (surefire runs this
 * module with -Xmx256m) is stored and digested correctly, and an interrupted upload leaves nothing.
 */
class ArtifactStreamingTest {
  static final long ONE_GIB = 1L << 30;
  @TempDir Path dataDir;
  RunningServer running;
  Pipeline p;
  String id;

  @BeforeEach
  void start() {
    running = new RunningServer(dataDir);
    p = running.pipeline.certifiers(1);
    assertThat(p.createProduct("acme-phone", 1, 2 * ONE_GIB).status()).isEqualTo(201);
    Map<String, byte[]> declared = new java.util.LinkedHashMap<>();
    declared.put("system.img", new byte[0]);
    Http.Response created =
        p.createRelease("acme-phone", "1.0.0", Pipeline.manifest("acme-phone", "1.0.0", declared));
    id = created.json().get("id").asText();
  }

  @AfterEach
  void stop() {
    running.close();
  }

  @Test
  void artifactLargerThanTheHeapStreamsThrough() throws Exception {
    assertThat(Runtime.getRuntime().maxMemory()).isLessThan(ONE_GIB);
    MessageDigest expected = Sha256.newDigest();
    try (InputStream generated = new PatternStream(ONE_GIB)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = generated.read(buffer)) != -1) {
        expected.update(buffer, 0, n);
      }
    }
    Supplier<InputStream> body = () -> new PatternStream(ONE_GIB);
    HttpRequest request =
        p.http
            .request("/api/v1/releases/" + id + "/artifacts/system.img", p.adminToken)
            .header("Sluice-Sha256", Sha256.fromBytes(expected.digest()).hex())
            .PUT(
                HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(body), ONE_GIB))
            .build();
    Http.Response response = p.http.send(request);
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    assertThat(response.json().get("size").asLong()).isEqualTo(ONE_GIB);
  }

  @Test
  void interruptedUploadLeavesNothingBehind() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", running.server.port())) {
      OutputStream out = socket.getOutputStream();
      String head =
          "PUT /api/v1/releases/"
              + id
              + "/artifacts/system.img HTTP/1.1\r\n"
              + "Host: 127.0.0.1\r\n"
              + "Authorization: Bearer "
              + p.adminToken
              + "\r\n"
              + "Content-Length: 10000000\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[1_000_000]);
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> tempFiles() > 0);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> tempFiles() == 0);
    assertThat(blobFiles()).isZero();
    assertThat(p.release(id).get("artifacts").size()).isZero();
  }

  private long tempFiles() throws Exception {
    return countFiles(dataDir.resolve("blobs").resolve("tmp"));
  }

  private long blobFiles() throws Exception {
    return countFiles(dataDir.resolve("blobs")) - tempFiles();
  }

  private static long countFiles(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (var walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).count();
    }
  }

  /** A deterministic byte stream of a given length that holds nothing in memory. */
  static final class PatternStream extends InputStream {
    private final long length;
    private long position;

    PatternStream(long length) {
      this.length = length;
    }

    @Override
    public int read() {
      if (position >= length) {
        return -1;
      }
      return (int) ((position++ * 31) >>> 3) & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= length) {
        return -1;
      }
      int n = (int) Math.min(len, length - position);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) (((position + i) * 31) >>> 3);
      }
      position += n;
      return n;
    }
  }
}
