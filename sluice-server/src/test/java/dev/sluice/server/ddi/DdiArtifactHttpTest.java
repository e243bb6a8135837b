package dev.sluice.server.ddi;

import static dev.sluice.server.ddi.DdiFixture.ddi;
import static dev.sluice.server.ddi.DdiFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.testing.Http;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
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
    return new DdiFixture(dataDir, c -> c.withPolling(Duration.ofMinutes(5), Duration.ZERO));
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
