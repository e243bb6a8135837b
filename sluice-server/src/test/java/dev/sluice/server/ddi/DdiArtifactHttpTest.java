package dev.sluice.server.ddi;

import static dev.sluice.server.ddi.DdiFixture.ddi;
import static dev.sluice.server.ddi.DdiFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.testing.Http;
import dev.sluice.trust.hash.Sha256;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifact downloads: whole, HEAD, ETag and 304, ranges (single, multiple, unsatisfiable), MD5SUM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DdiArtifactHttpTest {
  @TempDir static Path dataDir;
  DdiFixture f;
  String token;
  String file;
  byte[] content;

  @BeforeAll
  void start() throws Exception {
    f = fixture(dataDir);
    token = f.device("dl-1");
    f.assign("dl-1", f.release, "forced", null);
    file = ddi("dl-1") + "/softwaremodules/" + f.release + "/artifacts/system.img";
    content = f.files.get("system.img");
  }

  /** The server under test; a subclass keeps its artifacts elsewhere. */
  DdiFixture fixture(Path dataDir) throws Exception {
    return new DdiFixture(dataDir, c -> c.polling(Duration.ofMinutes(5), Duration.ZERO));
  }

  @AfterAll
  void stop() {
    f.close();
  }

  @Test
  void theWholeFileComesWithAStrongEtagAndHeadTellsItsLength() {
    Http.Response r = f.get(file, target(token));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(content);
    String etag = "\"" + Sha256.of(content).hex() + "\"";
    assertThat(r.header("ETag")).isEqualTo(etag);
    assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
    Http.Response head = f.head(file, target(token));
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(content.length));
    assertThat(head.body()).isEmpty();
    Http.Response notModified = f.get(file, target(token), Map.of("If-None-Match", etag));
    assertThat(notModified.status()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
  }

  @Test
  void oneRangeIsA206WithContentRange() {
    Http.Response r = f.get(file, target(token), Map.of("Range", "bytes=100-199"));
    assertThat(r.status()).isEqualTo(206);
    assertThat(r.header("Content-Range")).isEqualTo("bytes 100-199/" + content.length);
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(content, 100, 200));
    Http.Response suffix = f.get(file, target(token), Map.of("Range", "bytes=-10"));
    assertThat(suffix.body())
        .isEqualTo(Arrays.copyOfRange(content, content.length - 10, content.length));
    Http.Response open =
        f.get(file, target(token), Map.of("Range", "bytes=" + (content.length - 5) + "-"));
    assertThat(open.body()).hasSize(5);
    Http.Response staleIfRange =
        f.get(file, target(token), Map.of("Range", "bytes=0-9", "If-Range", "\"other\""));
    assertThat(staleIfRange.status()).isEqualTo(200);
    assertThat(staleIfRange.body()).isEqualTo(content);
  }

  @Test
  void theConnectionStaysUsableAfterEveryKindOfDownload() {
    for (Map<String, String> headers :
        List.of(
            Map.<String, String>of(),
            Map.of("Range", "bytes=1-2"),
            Map.of("Range", "bytes=0-1,4-5"),
            Map.of("Range", "bytes=999999-"))) {
      f.get(file, target(token), headers);
      Http.Response post =
          f.put(ddi("dl-1") + "/configData", target(token), "{\"data\":{\"k\":\"v\"}}");
      assertThat(post.status()).as(headers.toString()).isEqualTo(200);
    }
    f.head(file, target(token));
    assertThat(f.put(ddi("dl-1") + "/configData", target(token), "{\"data\":{}}").status())
        .isEqualTo(200);
  }

  /**
   * Range requests one after another on one keep-alive connection, as a resuming or chunking client
   * sends them: each is answered in full and the connection carries the next. (Ranges not starting
   * at byte 0 used to overflow the declared length after their bytes were sent, which closed the
   * connection and logged an error for every request.)
   */
  @Test
  void rangesFollowEachOtherOnOneKeepAliveConnection() throws Exception {
    // Longer than Undertow's 16 KiB buffer (the rest goes by sendfile), then short ones.
    List<long[]> ranges =
        List.of(
            new long[] {1000, 50_999},
            new long[] {20_000, 20_099},
            new long[] {content.length - 17_000, content.length - 1},
            new long[] {0, 9});
    try (Socket socket = new Socket("127.0.0.1", f.running.server.port())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      for (long[] r : ranges) {
        out.write(
            ("GET "
                    + file
                    + " HTTP/1.1\r\nHost: x\r\nAuthorization: "
                    + target(token)
                    + "\r\nRange: bytes="
                    + r[0]
                    + "-"
                    + r[1]
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
      }
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      for (long[] r : ranges) {
        Map<String, String> headers = new HashMap<>();
        String status = readHead(in, headers);
        assertThat(status).as("range %d-%d", r[0], r[1]).contains(" 206 ");
        assertThat(headers.get("content-range"))
            .isEqualTo("bytes " + r[0] + "-" + r[1] + "/" + content.length);
        int length = Integer.parseInt(headers.get("content-length"));
        assertThat(length).isEqualTo(r[1] - r[0] + 1);
        assertThat(in.readNBytes(length))
            .isEqualTo(Arrays.copyOfRange(content, (int) r[0], (int) r[1] + 1));
      }
    }
  }

  /** Reads a response's status line and headers (names lower-cased); returns the status line. */
  private static String readHead(InputStream in, Map<String, String> headers) throws IOException {
    String status = line(in);
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.put(
          h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
    }
    return status;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("the server closed the connection; read so far: " + b);
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  @Test
  void severalRangesAreMultipartByteranges() {
    Http.Response r = f.get(file, target(token), Map.of("Range", "bytes=0-3, 10-13"));
    assertThat(r.status()).isEqualTo(206);
    String type = r.header("Content-Type");
    assertThat(type).startsWith("multipart/byteranges; boundary=");
    String boundary = type.substring(type.indexOf('=') + 1);
    String body = new String(r.body(), StandardCharsets.ISO_8859_1);
    assertThat(body).contains("--" + boundary + "\r\nContent-Type: application/octet-stream\r\n");
    assertThat(body)
        .contains(
            "Content-Range: bytes 0-3/"
                + content.length
                + "\r\n\r\n"
                + new String(Arrays.copyOfRange(content, 0, 4), StandardCharsets.ISO_8859_1));
    assertThat(body)
        .contains(
            "Content-Range: bytes 10-13/"
                + content.length
                + "\r\n\r\n"
                + new String(Arrays.copyOfRange(content, 10, 14), StandardCharsets.ISO_8859_1));
    assertThat(body).endsWith("--" + boundary + "--\r\n");
    assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.body().length));
  }

  @Test
  void absurdRangesAre416WithTheLength() {
    for (String range :
        new String[] {
          "bytes=" + content.length + "-",
          "bytes=99999999-99999999",
          "bytes=99999999999999999999-",
          "bytes=" + "0-0,".repeat(40) + "0-0",
        }) {
      Http.Response r = f.get(file, target(token), Map.of("Range", range));
      assertThat(r.status()).as(range).isEqualTo(416);
      assertThat(r.header("Content-Range")).isEqualTo("bytes */" + content.length);
    }
    // Not a byte-range set at all: ignored, the whole file.
    assertThat(f.get(file, target(token), Map.of("Range", "lines=1-2")).status()).isEqualTo(200);
  }

  @Test
  void theMd5sumFileNamesTheArtifact() throws Exception {
    Http.Response r = f.get(file + ".MD5SUM", target(token));
    assertThat(r.status()).isEqualTo(200);
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    assertThat(r.text()).isEqualTo(md5 + "  system.img\n");
  }

  @Test
  void onlyDevicesWithAnActionForTheReleaseMayDownload() {
    String other = f.device("dl-2");
    String path = ddi("dl-2") + "/softwaremodules/" + f.release + "/artifacts/system.img";
    assertThat(f.get(path, target(other)).status()).isEqualTo(404);
    assertThat(f.get(file, target(other)).status()).isEqualTo(401);
    assertThat(f.get(file, null).status()).isEqualTo(401);
    assertThat(
            f.get(
                    ddi("dl-1") + "/softwaremodules/" + f.release + "/artifacts/nope.img",
                    target(token))
                .status())
        .isEqualTo(404);
    assertThat(
            f.get(ddi("dl-1") + "/softwaremodules/rel_x/artifacts/system.img", target(token))
                .status())
        .isEqualTo(404);
  }
}
