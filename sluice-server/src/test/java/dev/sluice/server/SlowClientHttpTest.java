package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.trust.hash.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and stalled clients cannot hold the server (issue 10, item 3), and a stopping server lets
 * requests in flight finish (item 11). The server runs with short timeouts; each test waits for the
 * server to act, never for a fixed time.
 */
class SlowClientHttpTest {
  @TempDir Path dataDir;
  RunningServer running;

  private RunningServer start(HttpLimits limits) {
    running =
        new RunningServer(
            dataDir,
            Optional.empty(),
            java.time.Clock.tick(java.time.Clock.systemUTC(), Duration.ofMillis(1)),
            c -> c.http(limits));
    return running;
  }

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  private static HttpLimits shortTimeouts() {
    return HttpLimits.defaults()
        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2));
  }

  /** Whether the server closed the connection (or answered and closed it). */
  private static boolean closedByServer(Socket socket) {
    try {
      socket.setSoTimeout(20);
      InputStream in = socket.getInputStream();
      while (true) {
        if (in.read() == -1) {
          return true;
        }
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Test
  void aSlowlorisSendingAHeaderByteAtATimeIsClosed() throws Exception {
    start(shortTimeouts());
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        Socket s = new Socket("127.0.0.1", running.server.port());
        s.getOutputStream()
            .write("GET /api/v1/health HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        sockets.add(s);
      }
      // A header byte every 100 ms on every connection, until the server has closed them all.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                boolean allClosed = true;
                for (Socket s : sockets) {
                  try {
                    s.getOutputStream().write('a');
                  } catch (IOException closed) {
                    continue;
                  }
                  allClosed &= closedByServer(s);
                }
                return allClosed;
              });
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
    // The server still serves everyone else.
    assertThat(running.http.get("/api/v1/health", null).status()).isEqualTo(200);
  }

  @Test
  void aStalledUploadIsClosedAndItsTempFileRemoved() throws Exception {
    start(shortTimeouts());
    Pipeline p = running.pipeline.certifiers(1);
    String id = draftRelease(p, STALLED_UPLOAD);
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        Socket s = new Socket("127.0.0.1", running.server.port());
        OutputStream out = s.getOutputStream();
        out.write(
            uploadHead(id, p.adminToken, STALLED_UPLOAD.length)
                .getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[100_000]);
        out.flush();
        sockets.add(s);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> tempFiles() > 0);
      // No more bytes: the server gives up on the bodies and removes what they left.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sockets.stream().allMatch(SlowClientHttpTest::closedByServer));
      await().atMost(Duration.ofSeconds(10)).until(() -> tempFiles() == 0);
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
    assertThat(p.release(id).get("artifacts").size()).isZero();
  }

  @Test
  void connectionsBeyondTheLimitWaitUntilOneCloses() throws Exception {
    start(HttpLimits.defaults().withMaxConnections(2));
    Socket first = new Socket("127.0.0.1", running.server.port());
    Socket second = new Socket("127.0.0.1", running.server.port());
    try {
      // Both are accepted: each answers a request.
      for (Socket s : List.of(first, second)) {
        s.getOutputStream()
            .write(
                "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
      }
      assertThat(statusLine(first)).contains("200");
      assertThat(statusLine(second)).contains("200");
      CompletableFuture<Http.Response> third =
          CompletableFuture.supplyAsync(() -> running.http.get("/api/v1/health", null));
      // While two connections are open the third is not served...
      assertThat(third).failsWithin(Duration.ofMillis(500));
      first.close();
      // ...and once one closes, it is.
      assertThat(third.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
    } finally {
      first.close();
      second.close();
    }
  }

  @Test
  void stoppingLetsADownloadInFlightFinish() throws Exception {
    start(HttpLimits.defaults().withShutdownGrace(Duration.ofSeconds(60)));
    Pipeline p = running.pipeline.certifiers(1);
    // Larger than what the kernel buffers on both sides of a loopback connection.
    byte[] content = Pipeline.generated("slow-download", 12 << 20);
    String id = draftRelease(p, content);
    assertThat(p.upload(id, "system.img", content).status()).isEqualTo(201);

    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", running.server.port()));
    socket
        .getOutputStream()
        .write(
            ("GET /api/v1/releases/"
                    + id
                    + "/artifacts/system.img HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + p.adminToken
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    String status = statusLine(socket);
    assertThat(status).contains("200");
    skipHeaders(in);
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    received.write(buffer, 0, in.readNBytes(buffer, 0, buffer.length));

    // The server is asked to stop while most of the download is still to come.
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(running.server::close);
    // New requests are turned away while the download goes on.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> new Http(running.server.baseUri()).get("/api/v1/health", null).status() == 503);
    assertThat(stopping).isNotDone();
    int n;
    while (received.size() < content.length && (n = in.read(buffer)) != -1) {
      received.write(buffer, 0, n);
    }
    socket.close();
    assertThat(received.size()).isEqualTo(content.length);
    assertThat(Sha256.of(received.toByteArray())).isEqualTo(Sha256.of(content));
    stopping.get(60, TimeUnit.SECONDS);
    running = null;
  }

  @Test
  void aClientClosingMidUploadIsNotLoggedAsAnError() throws Exception {
    start(shortTimeouts());
    Pipeline p = running.pipeline.certifiers(1);
    String id = draftRelease(p, STALLED_UPLOAD);
    java.io.PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(new TeeStream(original, log), true));
    try {
      try (Socket s = new Socket("127.0.0.1", running.server.port())) {
        OutputStream out = s.getOutputStream();
        out.write(
            uploadHead(id, p.adminToken, STALLED_UPLOAD.length)
                .getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[100_000]);
        out.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> tempFiles() > 0);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> tempFiles() == 0);
      // The next request is served once the aborted one has been handled.
      assertThat(running.http.get("/api/v1/health", null).status()).isEqualTo(200);
    } finally {
      System.setErr(original);
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).doesNotContain("ERROR").doesNotContain("UT000128").doesNotContain("\tat ");
  }

  /** Writes to two streams (the log stays visible while a test reads it). */
  private static final class TeeStream extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    TeeStream(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) throws IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }

  /** The 1,000,000 zero bytes the stalled uploads announce (manifests declare digest and size). */
  private static final byte[] STALLED_UPLOAD = new byte[1_000_000];

  /** A draft release whose manifest declares {@code system.img} with this content. */
  private static String draftRelease(Pipeline p, byte[] systemImg) {
    assertThat(p.createProduct("acme-phone", 1, 1 << 30).status()).isEqualTo(201);
    Map<String, byte[]> declared = new java.util.LinkedHashMap<>();
    declared.put("system.img", systemImg);
    Http.Response created =
        p.createRelease("acme-phone", "1.0.0", Pipeline.manifest("acme-phone", "1.0.0", declared));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private static String uploadHead(String id, String token, long length) {
    return "PUT /api/v1/releases/"
        + id
        + "/artifacts/system.img HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + token
        + "\r\nContent-Length: "
        + length
        + "\r\n\r\n";
  }

  private static String statusLine(Socket s) throws IOException {
    s.setSoTimeout(20_000);
    InputStream in = s.getInputStream();
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      line.append((char) c);
    }
    return line.toString();
  }

  private static void skipHeaders(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    // The status line's \r\n was consumed up to \n; headers end at an empty line.
    matched = 2;
    int c;
    while (matched < 4 && (c = in.read()) != -1) {
      matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
    }
  }

  private long tempFiles() throws IOException {
    Path tmp = dataDir.resolve("blobs").resolve("tmp");
    if (!Files.exists(tmp)) {
      return 0;
    }
    // Each instance writes its uploads into its own subdirectory of blobs/tmp.
    try (var files = Files.walk(tmp)) {
      return files.filter(Files::isRegularFile).count();
    }
  }
}
