package dev.sluice.server.ddi;

import static dev.sluice.server.ddi.DdiFixture.ddi;
import static dev.sluice.server.ddi.DdiFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.trust.hash.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server restart in the middle of a download: the device keeps the bytes it has and resumes from
 * there with a range request guarded by the ETag (as rauc-hawkbit-updater and curl-based clients
 * do), from the restarted server on the same data directory; the action then completes there.
 */
class DdiResumeAfterRestartTest {
  @TempDir Path dir;

  @Test
  void aDownloadCutByARestartResumesWithARangeFromTheRestartedServer() throws Exception {
    Path data = dir.resolve("server");
    DdiFixture f = new DdiFixture(data, c -> c.polling(Duration.ofMinutes(5), Duration.ZERO));
    byte[] image = Pipeline.generated("resume", 900 * 1024);
    String release;
    String token;
    long id;
    try {
      release = f.published("3.0.0", Map.of("image.bin", image));
      token = f.device("resume-1");
      id = f.assign("resume-1", release, "forced", "ddi-success").get("id").asLong();
      assertThat(f.get(ddi("resume-1") + "/deploymentBase/" + id, target(token)).status())
          .isEqualTo(200);
    } finally {
      f.database.close();
    }
    String file = ddi("resume-1") + "/softwaremodules/" + release + "/artifacts/image.bin";
    HttpClient client = HttpClient.newHttpClient();

    // The first server sends part of the file; the device has 300 KiB when the server goes away.
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    String etag;
    HttpResponse<InputStream> first =
        client.send(
            get(f.http.base(), file, token).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(first.statusCode()).isEqualTo(200);
    etag = first.headers().firstValue("ETag").orElseThrow();
    try (InputStream in = first.body()) {
      received.write(in.readNBytes(300 * 1024));
    }
    f.running.close();

    SluiceServer restarted =
        SluiceServer.start(
            ServerConfig.builder(data)
                .port(0)
                .ddi(DdiConfig.builder().polling(Duration.ofMinutes(5), Duration.ZERO).build())
                .build());
    try {
      URI base = restarted.baseUri();
      int have = received.size();
      HttpResponse<byte[]> rest =
          client.send(
              get(base, file, token)
                  .header("Range", "bytes=" + have + "-")
                  .header("If-Range", etag)
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(rest.statusCode()).isEqualTo(206);
      assertThat(rest.headers().firstValue("Content-Range").orElseThrow())
          .isEqualTo("bytes " + have + "-" + (image.length - 1) + "/" + image.length);
      received.write(rest.body());
      assertThat(Sha256.of(received.toByteArray())).isEqualTo(Sha256.of(image));

      // The action goes on where it stood.
      HttpResponse<String> done =
          client.send(
              get(base, ddi("resume-1") + "/deploymentBase/" + id + "/feedback", token)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          DdiFixture.feedback("closed", "success", "installed"),
                          StandardCharsets.UTF_8))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
      HttpResponse<String> poll =
          client.send(
              get(base, ddi("resume-1"), token).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(poll.body()).contains("installedBase/" + id).doesNotContain("deploymentBase");
    } finally {
      restarted.close();
    }
  }

  private static HttpRequest.Builder get(URI base, String path, String token) {
    return HttpRequest.newBuilder(base.resolve(path))
        .header("Authorization", "TargetToken " + token);
  }
}
