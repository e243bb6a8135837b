package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ArtifactName;
import dev.sluice.core.manifest.ExampleManifests;
import dev.sluice.core.manifest.Version;
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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifacts stream through the server: a body larger than the test JVM's heap (surefire runs this
 * module with -Xmx256m) is stored and digested correctly, and an interrupted upload leaves nothing,
 * whether the client or the server stops (issue 10, item 8).
 */
class ArtifactStreamingTest {
  static final long ONE_GIB = 1L << 30;
  static final long TEN_MB = 10_000_000;
  @TempDir Path dataDir;
  RunningServer running;
  Pipeline p;
  String id;

  @BeforeEach
  void start() {
    // A stop waits at most 1 s for an upload in flight (30 s by default): the uploads these tests
    // leave hanging are never finished.
    running =
        new RunningServer(
            dataDir,
            Optional.empty(),
            Clock.systemUTC(),
            config -> config.http(HttpLimits.defaults().withShutdownGrace(Duration.ofSeconds(1))));
    p = running.pipeline.certifiers(1);
    assertThat(p.createProduct("acme-phone", 1, 2 * ONE_GIB).status()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  /** A draft whose manifest declares system.img as {@code length} bytes of the pattern. */
  private String draftOfPattern(long length) throws Exception {
    Artifact declared = new Artifact(new ArtifactName("system.img"), patternDigest(length), length);
    byte[] manifest =
        ExampleManifests.valid("acme-phone", Version.parse("1.0.0"), List.of(declared))
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    Http.Response created = p.createRelease("acme-phone", "1.0.0", manifest);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private static Sha256 patternDigest(long length) throws Exception {
    MessageDigest digest = Sha256.newDigest();
    try (InputStream generated = new PatternStream(length)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = generated.read(buffer)) != -1) {
        digest.update(buffer, 0, n);
      }
    }
    return Sha256.fromBytes(digest.digest());
  }

  @Test
  void artifactLargerThanTheHeapStreamsThrough() throws Exception {
    assertThat(Runtime.getRuntime().maxMemory()).isLessThan(ONE_GIB);
    Sha256 expected = patternDigest(ONE_GIB);
    id = draftOfPattern(ONE_GIB);
    Supplier<InputStream> body = () -> new PatternStream(ONE_GIB);
    HttpRequest request =
        p.http
            .request("/api/v1/releases/" + id + "/artifacts/system.img", p.adminToken)
            .header("Sluice-Sha256", expected.hex())
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
    id = draftOfPattern(TEN_MB);
    try (Socket socket = startUpload(running.server.port(), TEN_MB / 10)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> tempFiles() > 0);
      assertThat(socket.isConnected()).isTrue();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> tempFiles() == 0);
    assertThat(blobFiles()).isZero();
    assertThat(p.release(id).get("artifacts").size()).isZero();
  }

  @Test
  void serverStoppedMidUploadStoresNothingAndTheNameCanBeUploadedAgain() throws Exception {
    id = draftOfPattern(TEN_MB);
    try (Socket socket = startUpload(running.server.port(), TEN_MB / 10)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> tempFiles() > 0);
      assertThat(socket.isConnected()).isTrue();
      // What SIGTERM does: the server stops while the body is still arriving.
      running.close();
      running = null;
    }
    try (SluiceServer again = SluiceServer.start(ServerConfig.builder(dataDir).port(0).build())) {
      Pipeline after = new Pipeline(new Http(again.baseUri()), p.adminToken);
      assertThat(after.release(id).get("artifacts").size()).isZero();
      assertThat(blobFiles()).isZero();
      assertThat(tempFiles()).isZero();
      HttpRequest retry =
          after
              .http
              .request("/api/v1/releases/" + id + "/artifacts/system.img", p.adminToken)
              .PUT(
                  HttpRequest.BodyPublishers.fromPublisher(
                      HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(TEN_MB)),
                      TEN_MB))
              .build();
      Http.Response uploaded = after.http.send(retry);
      assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
      assertThat(uploaded.json().get("size").asLong()).isEqualTo(TEN_MB);
    }
  }

  @Test
  void anUploadThatExpectsContinueIsRefusedBeforeItsBodyIsSent() throws Exception {
    id = draftOfPattern(TEN_MB);
    try (Socket socket = new Socket("127.0.0.1", running.server.port())) {
      socket.setSoTimeout(10_000);
      // A name the manifest does not declare: refused before the body is read.
      sendHead(socket, "kernel.img", TEN_MB, true);
      InputStream in = socket.getInputStream();
      String answer = head(in);
      assertThat(answer).startsWith("HTTP/1.1 4").doesNotContain("100 Continue");
      // The body was never sent, so the server closes the connection instead of waiting for it.
      in.skipNBytes(contentLength(answer));
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThat(tempFiles()).isZero();
    assertThat(p.release(id).get("artifacts").size()).isZero();
  }

  @Test
  void anUploadThatExpectsContinueIsToldToSendItsBodyAndIsStored() throws Exception {
    id = draftOfPattern(TEN_MB);
    try (Socket socket = new Socket("127.0.0.1", running.server.port())) {
      socket.setSoTimeout(10_000);
      sendHead(socket, "system.img", TEN_MB, true);
      InputStream in = socket.getInputStream();
      assertThat(head(in)).startsWith("HTTP/1.1 100 ");
      OutputStream out = socket.getOutputStream();
      try (InputStream body = new PatternStream(TEN_MB)) {
        body.transferTo(out);
      }
      out.flush();
      assertThat(head(in)).startsWith("HTTP/1.1 201 ");
    }
    assertThat(p.release(id).get("artifacts").size()).isEqualTo(1);
  }

  /** Sends a raw upload's request line and headers, without its body. */
  private void sendHead(Socket socket, String name, long length, boolean expectContinue)
      throws Exception {
    String head =
        "PUT /api/v1/releases/"
            + id
            + "/artifacts/"
            + name
            + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n"
            + "Authorization: Bearer "
            + p.adminToken
            + "\r\n"
            + (expectContinue ? "Expect: 100-continue\r\n" : "")
            + "Content-Length: "
            + length
            + "\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** An answer's status line and headers, up to the blank line. */
  private static String head(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new java.io.EOFException("the connection closed inside an answer's head: " + head);
      }
      head.append((char) c);
    }
    return head.toString();
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        return Long.parseLong(line.substring(15).trim());
      }
    }
    return 0;
  }

  /** Opens a raw upload of system.img declaring {@link #TEN_MB} bytes and sends {@code sent}. */
  private Socket startUpload(int port, long sent) throws Exception {
    Socket socket = new Socket("127.0.0.1", port);
    OutputStream out = socket.getOutputStream();
    String head =
        "PUT /api/v1/releases/"
            + id
            + "/artifacts/system.img HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n"
            + "Authorization: Bearer "
            + p.adminToken
            + "\r\n"
            + "Content-Length: "
            + TEN_MB
            + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(new PatternStream(sent).readAllBytes());
    out.flush();
    return socket;
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
