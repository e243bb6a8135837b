package dev.sluice.server.ddi;

import static dev.sluice.server.ddi.DdiFixture.ddi;
import static dev.sluice.server.ddi.DdiFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.testing.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of issue 10 on the device API, as scripts against a real server: nobody without a
 * token can make a device's own requests fail, no id makes the server keep anything, and no range
 * set makes a download larger than the file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DdiAttackHttpTest {
  @TempDir static Path dataDir;
  DdiFixture f;

  @BeforeAll
  void start() {
    f = new DdiFixture(dataDir, c -> c.polling(Duration.ofMinutes(5), Duration.ZERO));
  }

  @AfterAll
  void stop() {
    f.close();
  }

  /** Requests from another local address (127.0.0.2), as an attacker's would come. */
  private Http.Response fromAttacker(HttpClient attacker, String path, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(f.http.base().resolve(path)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    try {
      HttpResponse<byte[]> r = attacker.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Http.Response(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anUnauthenticatedPollFloodDoesNotThrottleTheDevice() throws Exception {
    String token = f.device("phone-0003");
    f.assign("phone-0003", f.release, "forced", null);
    HttpClient attacker =
        HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.2")).build();
    List<Integer> flood = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String auth = i % 2 == 0 ? null : "TargetToken guessed-" + i;
      flood.add(fromAttacker(attacker, ddi("phone-0003"), auth).status());
    }
    // The attacker is refused, and soon refused without the server looking anything up.
    assertThat(flood).containsOnly(401, 429).contains(429);

    for (int i = 0; i < 8; i++) {
      Http.Response poll = f.get(ddi("phone-0003"), target(token));
      assertThat(poll.status()).as("the device's own poll %d: %s", i, poll).isEqualTo(200);
    }
    String file = ddi("phone-0003") + "/softwaremodules/" + f.release + "/artifacts/system.img";
    Http.Response download = f.get(file, target(token));
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(f.files.get("system.img"));
  }

  @Test
  void oversizedControllerIdsAreRefusedBeforeAnythingIsKept() {
    f.running.server.ddi().prune();
    int before = f.running.server.ddi().rateLimitKeys();
    for (int size : new int[] {65, 1_000, 40_000}) {
      String id = "p".repeat(size);
      Http.Response r = f.get(ddi(id), "TargetToken x");
      assertThat(r.status()).as("an id of %d characters", size).isEqualTo(400);
      assertThat(r.json().get("detail").asText()).contains("1-64 letters, digits");
      assertThat(r.json().get("violations").get(0).get("location").asText())
          .isEqualTo("controllerId");
      Http.Response download =
          f.get(ddi(id) + "/softwaremodules/rel_x/artifacts/a.img", "TargetToken x");
      assertThat(download.status()).isEqualTo(400);
    }
    // 200 ids of 500 KB each: refused by the header size limit before any handler runs.
    for (int i = 0; i < 200; i++) {
      String id = i + "q".repeat(500_000);
      int status;
      try {
        status = f.get(ddi(id), "TargetToken x").status();
      } catch (UncheckedIOException closed) {
        status = -1;
      }
      assertThat(status).isNotEqualTo(200).isNotEqualTo(404).isNotEqualTo(429);
    }
    assertThat(f.running.server.ddi().rateLimitKeys()).isEqualTo(before);
  }

  @Test
  void aGatewayPollWithAnInvalidIdNamesTheRule() {
    Http.Response created =
        f.http.post(
            "/api/v1/tokens",
            f.p.adminToken,
            Http.object()
                .put("role", "device-gateway")
                .put("label", "gw-attack")
                .put("product", DdiFixture.PRODUCT));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String gateway = "GatewayToken " + created.json().get("token").asText();
    for (String id : new String[] {"bad%20id", "-starts-with-dash", "a".repeat(65), "x%2Fy"}) {
      Http.Response r = f.get(ddi(id), gateway);
      assertThat(r.status()).as(id).isEqualTo(400);
      assertThat(r.json().get("detail").asText())
          .as(id)
          .contains("a controller id is 1-64 letters, digits, '.', '_', ':' or '-'");
    }
  }

  @Test
  void overlappingRangesAreMergedAndRangesLargerThanTheFileGetItOnce() {
    String token = f.device("ranges-1");
    f.assign("ranges-1", f.release, "forced", null);
    String file = ddi("ranges-1") + "/softwaremodules/" + f.release + "/artifacts/system.img";
    byte[] content = f.files.get("system.img");

    Http.Response sixteen =
        f.get(file, target(token), Map.of("Range", "bytes=" + "0-,".repeat(15) + "0-"));
    assertThat(sixteen.status()).isEqualTo(200);
    assertThat(sixteen.body()).isEqualTo(content);

    Http.Response overlapping =
        f.get(file, target(token), Map.of("Range", "bytes=0-9, 5-14, 15-19"));
    assertThat(overlapping.status()).isEqualTo(206);
    assertThat(overlapping.header("Content-Range")).isEqualTo("bytes 0-19/" + content.length);
    assertThat(overlapping.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 0, 20));

    int half = content.length / 2 + 1;
    Http.Response tooMuch =
        f.get(
            file,
            target(token),
            Map.of("Range", "bytes=0-" + (half - 1) + ",-" + half + ",0-" + (half - 1)));
    assertThat(tooMuch.status()).isEqualTo(200);
    assertThat(tooMuch.body()).hasSize(content.length);
  }
}
