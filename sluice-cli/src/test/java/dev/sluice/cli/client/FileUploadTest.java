package dev.sluice.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.hash.Sha256;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The blocking upload of a file against a socket server that plays the server's part. */
@Timeout(30)
class FileUploadTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void theFileIsSentWholeAndHashedAsSentAndAChunkedAnswerIsRead() throws Exception {
    byte[] content = new byte[FileUpload.CHUNK * 2 + 12_345];
    new Random(7).nextBytes(content);
    Path file = Files.write(dir.resolve("rootfs.img"), content);
    try (ServerSocket listener = listener()) {
      CompletableFuture<byte[]> received =
          serve(
              listener,
              (in, out) -> {
                String head = head(in);
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] body = in.readNBytes(contentLength(head));
                out.write(
                    ("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "5\r\n{\"a\":\r\n3;x=y\r\n12}\r\n0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                return (head + "\n" + Sha256.of(body).hex()).getBytes(StandardCharsets.UTF_8);
              });
      AtomicLong reported = new AtomicLong();
      MessageDigest digest = Sha256.newDigest();
      FileUpload.Answer answer =
          FileUpload.put(
              url(listener, "/api/v1/releases/r%201/artifacts/rootfs.img?replace=true"),
              headers("Authorization", "Bearer secret"),
              file,
              reported::addAndGet,
              digest,
              TIMEOUT,
              TIMEOUT);

      assertThat(answer.status()).isEqualTo(201);
      assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":12}");
      assertThat(reported).hasValue(content.length);
      assertThat(Sha256.fromBytes(digest.digest())).isEqualTo(Sha256.of(content));
      String request = new String(received.get(), StandardCharsets.UTF_8);
      assertThat(request)
          .startsWith("PUT /api/v1/releases/r%201/artifacts/rootfs.img?replace=true HTTP/1.1\r\n")
          .contains("Host: 127.0.0.1:" + listener.getLocalPort() + "\r\n")
          .contains("Authorization: Bearer secret\r\n")
          .contains("Expect: 100-continue\r\n")
          .contains("Content-Length: " + content.length + "\r\n")
          .endsWith("\n" + Sha256.of(content).hex());
    }
  }

  @Test
  void aRefusalSentBeforeTheServerClosesOnTheUnreadBodyIsTheAnswer() throws Exception {
    // Larger than the socket buffers on both sides: the write fails once the server has closed.
    Path file = Files.write(dir.resolve("big.img"), new byte[32 << 20]);
    byte[] problem =
        "{\"title\":\"Content Too Large\",\"status\":413}".getBytes(StandardCharsets.UTF_8);
    try (ServerSocket listener = listener()) {
      serve(
          listener,
          (in, out) -> {
            head(in);
            // Told to send, then refused part-way (a limit only the bytes show).
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.readNBytes(1 << 20);
            out.write(
                ("HTTP/1.1 413 Content Too Large\r\nContent-Length: " + problem.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(problem);
            out.flush();
            return new byte[0]; // closed with the body unread: the client's writes are reset
          });
      FileUpload.Answer answer =
          FileUpload.put(
              url(listener, "/up"), headers(), file, n -> {}, Sha256.newDigest(), TIMEOUT, TIMEOUT);

      assertThat(answer.status()).isEqualTo(413);
      assertThat(answer.body()).isEqualTo(problem);
    }
  }

  @Test
  void anUploadRefusedOnItsHeadIsAnsweredWithoutSendingTheBody() throws Exception {
    Path file = Files.write(dir.resolve("again.img"), new byte[8 << 20]);
    byte[] problem = "{\"title\":\"Conflict\",\"status\":409}".getBytes(StandardCharsets.UTF_8);
    try (ServerSocket listener = listener()) {
      CompletableFuture<byte[]> received =
          serve(
              listener,
              (in, out) -> {
                head(in);
                out.write(
                    ("HTTP/1.1 409 Conflict\r\nConnection: close\r\nContent-Length: "
                            + problem.length
                            + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(problem);
                out.flush();
                // What the client sent after the head, until it closed: nothing.
                return in.readAllBytes();
              });
      AtomicLong reported = new AtomicLong();
      FileUpload.Answer answer =
          FileUpload.put(
              url(listener, "/up"),
              headers(),
              file,
              reported::addAndGet,
              Sha256.newDigest(),
              TIMEOUT,
              TIMEOUT);

      assertThat(answer.status()).isEqualTo(409);
      assertThat(answer.body()).isEqualTo(problem);
      assertThat(reported).hasValue(0);
      assertThat(received.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
    }
  }

  @Test
  void aConnectionClosedWithoutAnAnswerIsAnErrorAndARefusedOneCannotConnect() throws Exception {
    Path file = Files.write(dir.resolve("small.img"), new byte[1000]);
    URI closed;
    try (ServerSocket listener = listener()) {
      closed = url(listener, "/up");
      serve(
          listener,
          (in, out) -> {
            int length = contentLength(head(in));
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.readNBytes(length);
            return new byte[0];
          });
      assertThatThrownBy(
              () ->
                  FileUpload.put(
                      closed, headers(), file, n -> {}, Sha256.newDigest(), TIMEOUT, TIMEOUT))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(FileUpload.ConnectFailed.class)
          .hasMessageContaining("without a complete answer");
    }
    assertThatThrownBy(
            () ->
                FileUpload.put(
                    closed, headers(), file, n -> {}, Sha256.newDigest(), TIMEOUT, TIMEOUT))
        .isInstanceOf(FileUpload.ConnectFailed.class);
  }

  @Test
  void aHeaderValueThatWouldSplitTheRequestIsRefusedBeforeConnecting() throws Exception {
    Path file = Files.write(dir.resolve("small.img"), new byte[10]);
    URI nowhere = URI.create("http://127.0.0.1:1/up");
    assertThatThrownBy(
            () ->
                FileUpload.put(
                    nowhere,
                    headers("Authorization", "Bearer a\r\nX-Injected: 1"),
                    file,
                    n -> {},
                    Sha256.newDigest(),
                    TIMEOUT,
                    TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private interface Exchange {
    byte[] handle(InputStream in, OutputStream out) throws IOException;
  }

  private static ServerSocket listener() throws IOException {
    return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  /** Accepts one connection, lets {@code exchange} answer it, closes it; its result completes. */
  private static CompletableFuture<byte[]> serve(ServerSocket listener, Exchange exchange) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (Socket socket = listener.accept()) {
                socket.setSoTimeout(10_000);
                byte[] r =
                    exchange.handle(
                        new BufferedInputStream(socket.getInputStream()), socket.getOutputStream());
                socket.getOutputStream().flush();
                result.complete(r);
              } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }

  private static URI url(ServerSocket listener, String path) {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort() + path);
  }

  private static Map<String, String> headers(String... pairs) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      headers.put(pairs[i], pairs[i + 1]);
    }
    return headers;
  }

  /** The request head up to and including its blank line. */
  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("the request head ended early");
      }
      head.write(c);
      matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    throw new AssertionError("no Content-Length in " + head);
  }
}
