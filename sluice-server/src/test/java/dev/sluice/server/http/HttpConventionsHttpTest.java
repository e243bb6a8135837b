package dev.sluice.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conventions every route keeps because the router holds them (issue 13): HEAD wherever GET is,
 * 405 with {@code Allow}, 415 and 406 from the declared media types, gzip for JSON only, and 400
 * naming an unknown query parameter. All over real HTTP.
 */
class HttpConventionsHttpTest {
  @TempDir static Path dataDir;
  static RunningServer running;
  static Http http;
  static Pipeline p;
  static String release;
  static byte[] artifact;

  @BeforeAll
  static void start() {
    running = new RunningServer(dataDir);
    http = running.http;
    p = running.pipeline.certifiers(1);
    assertThat(p.createProduct("conv-phone", 1, 1 << 20).status()).isEqualTo(201);
    Map<String, byte[]> files = Pipeline.artifacts("conventions");
    release =
        p.draft("conv-phone", "1.0.0", Pipeline.manifest("conv-phone", "1.0.0", files), files);
    artifact = files.values().iterator().next();
  }

  @AfterAll
  static void stop() {
    running.close();
  }

  @Test
  void everyPublicGetWithoutParametersAnswersHeadWithTheSameHeadersAndNoBody() {
    int checked = 0;
    for (Route route : running.server.routes()) {
      if (!route.method().equals("GET")
          || !(route.access() instanceof Access.Public)
          || route.prefix()
          || route.template().contains("{")) {
        continue;
      }
      Http.Response get = http.get(route.template(), null);
      Http.Response head = send("HEAD", route.template(), p.adminToken, Map.of());
      assertThat(head.status()).as("HEAD " + route.template()).isEqualTo(get.status());
      assertThat(head.body()).as("HEAD " + route.template()).isEmpty();
      assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type"));
      assertThat(head.header("Content-Length")).isEqualTo(get.header("Content-Length"));
      checked++;
    }
    assertThat(checked).isGreaterThan(5);
  }

  @Test
  void headWorksOnAuthenticatedRoutesAndOnArtifactsWithoutSendingThem() {
    Http.Response list = send("HEAD", "/api/v1/releases", p.adminToken, Map.of());
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).isEmpty();
    String name = Pipeline.artifacts("conventions").keySet().iterator().next();
    Http.Response file =
        send("HEAD", "/api/v1/releases/" + release + "/artifacts/" + name, p.adminToken, Map.of());
    assertThat(file.status()).isEqualTo(200);
    assertThat(file.header("Content-Length")).isEqualTo(Integer.toString(artifact.length));
    assertThat(file.body()).isEmpty();
    assertThat(send("HEAD", "/api/v1/releases", null, Map.of()).status()).isEqualTo(401);
  }

  @Test
  void aKnownPathWithAnotherMethodIs405AndSaysWhichAreAllowed() {
    Http.Response health = send("POST", "/api/v1/health", null, Map.of());
    assertThat(health.status()).isEqualTo(405);
    assertThat(health.header("Allow")).isEqualTo("GET, HEAD");
    Http.Response releases = send("DELETE", "/api/v1/releases", p.adminToken, Map.of());
    assertThat(releases.status()).isEqualTo(405);
    assertThat(releases.header("Allow").split(", "))
        .containsExactlyInAnyOrder("POST", "GET", "HEAD");
    Http.Response tile = send("PUT", "/log/tile/0/000", null, Map.of());
    assertThat(tile.status()).isEqualTo(405);
    assertThat(tile.header("Allow")).isEqualTo("GET, HEAD");
    assertThat(send("GET", "/api/v1/no-such-thing", null, Map.of()).status()).isEqualTo(404);
  }

  @Test
  void aBodyOfAMediaTypeTheRouteDoesNotReadIs415() {
    Http.Response text =
        http.postBytes("/api/v1/products", p.adminToken, "name=x".getBytes(), "text/plain");
    assertThat(text.status()).isEqualTo(415);
    assertThat(text.json().get("detail").asText()).contains("application/json", "text/plain");
    Http.Response json =
        send(
            "PUT",
            "/api/v1/releases/" + release + "/artifacts/other.bin",
            p.adminToken,
            Map.of("Content-Type", "application/json"),
            "{}");
    assertThat(json.status()).isEqualTo(415);
    Http.Response charset =
        http.postBytes(
            "/api/v1/products", p.adminToken, "{}".getBytes(), "application/json; charset=utf-8");
    assertThat(charset.status()).as("parameters do not matter").isEqualTo(400);
  }

  @Test
  void anAcceptHeaderThatExcludesWhatTheRouteAnswersIs406() {
    assertThat(get("/api/v1/health", Map.of("Accept", "text/html")).status()).isEqualTo(406);
    assertThat(get("/api/v1/health", Map.of("Accept", "application/json;q=0, */*")).status())
        .isEqualTo(406);
    assertThat(get("/api/v1/health", Map.of("Accept", "application/*")).status()).isEqualTo(200);
    assertThat(get("/api/v1/health", Map.of("Accept", "text/html, */*;q=0.1")).status())
        .isEqualTo(200);
    assertThat(get("/log/checkpoint", Map.of("Accept", "application/json")).status())
        .isEqualTo(406);
    Http.Response report =
        http.get(
            "/api/v1/releases/" + release + "/report",
            p.adminToken,
            Map.of("Accept", "text/plain"));
    assertThat(report.status()).as("a route that produces text too").isIn(200, 404);
  }

  @Test
  void jsonIsGzippedForClientsThatAcceptItAndArtifactsNever() throws IOException {
    Http.Response plain = get("/api/v1/openapi.json", Map.of());
    assertThat(plain.header("Content-Encoding")).isNull();
    assertThat(plain.header("Vary")).contains("Accept-Encoding");
    Http.Response zipped = get("/api/v1/openapi.json", Map.of("Accept-Encoding", "gzip, br"));
    assertThat(zipped.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(zipped.body().length).isLessThan(plain.body().length);
    assertThat(gunzip(zipped.body())).isEqualTo(plain.body());
    assertThat(
            get("/api/v1/openapi.json", Map.of("Accept-Encoding", "gzip;q=0"))
                .header("Content-Encoding"))
        .isNull();
    String name = Pipeline.artifacts("conventions").keySet().iterator().next();
    Http.Response file =
        http.get(
            "/api/v1/releases/" + release + "/artifacts/" + name,
            p.adminToken,
            Map.of("Accept-Encoding", "gzip"));
    assertThat(file.header("Content-Encoding")).isNull();
    assertThat(file.body()).isEqualTo(artifact);
  }

  @Test
  void anUnknownQueryParameterIs400NamingIt() {
    for (String parameter : new String[] {"q", "order", "offset"}) {
      Http.Response r = http.get("/api/v1/releases?" + parameter + "=x", p.adminToken);
      assertThat(r.status()).as(parameter).isEqualTo(400);
      JsonNode problem = r.json();
      assertThat(problem.get("detail").asText()).contains("'" + parameter + "'", "limit");
      assertThat(problem.get("violations").get(0).get("location").asText())
          .isEqualTo("query." + parameter);
    }
    assertThat(http.get("/api/v1/releases?limit=5&state=draft", p.adminToken).status())
        .isEqualTo(200);
    assertThat(http.get("/api/v1/health?verbose=1", null).json().get("detail").asText())
        .contains("'verbose'", "takes no query parameters");
  }

  private static Http.Response get(String path, Map<String, String> headers) {
    return send("GET", path, null, headers);
  }

  private static Http.Response send(
      String method, String path, String token, Map<String, String> headers) {
    return send(method, path, token, headers, null);
  }

  private static Http.Response send(
      String method, String path, String token, Map<String, String> headers, String body) {
    HttpRequest.Builder b =
        http.request(path, token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return http.send(b.build());
  }

  private static byte[] gunzip(byte[] body) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }
}
