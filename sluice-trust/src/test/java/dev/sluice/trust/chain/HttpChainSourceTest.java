package dev.sluice.trust.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.chain.testing.ChainFixture;
import dev.sluice.trust.chain.testing.ChainFixture.Published;
import dev.sluice.trust.chain.testing.ChainFixtureServer;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.tlog.NoteVerifier;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chain verified over real HTTP, with the public endpoints' paths. */
class HttpChainSourceTest {
  static final byte[] IMAGE = "image".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  @Test
  void aReleaseVerifiesOverHttpAndItsArtifactDownloads() throws Exception {
    ChainFixture fx = new ChainFixture("acme-phone");
    fx.createProduct("acme-phone", 1, "lab-a");
    Published release = fx.publish("acme-phone", "1.0", Map.of("os.img", IMAGE), "lab-a");
    try (ChainFixtureServer server = new ChainFixtureServer(fx)) {
      ReleaseChainVerifier verifier = verifier(fx, server.uri());

      VerifiedRelease verified = verifier.verifyRelease(release.releaseId());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      verifier.download("acme-phone/1.0/os.img", out);

      assertThat(verified.signers()).containsExactly("lab-a");
      assertThat(out.toByteArray()).isEqualTo(IMAGE);
      // The second run proves the grown log consistent through /log/v1/consistency.
      fx.publish("acme-phone", "1.1", Map.of("os.img", "next".getBytes()), "lab-a");
      assertThat(
              verifier(fx, server.uri())
                  .verifyTarget("acme-phone", "1.0", "os.img", Sha256.of(IMAGE), IMAGE.length)
                  .links()
                  .get(3)
                  .detail())
          .contains("consistent with the stored size");
    }
  }

  @Test
  void aServerThatIsNotThereIsReportedAsUnavailable() {
    ChainFixture fx = new ChainFixture("acme-phone");
    assertThatThrownBy(() -> verifier(fx, URI.create("http://127.0.0.1:1")).verifyRelease("01JX"))
        .isInstanceOf(ChainUnavailableException.class)
        .hasMessageContaining("no answer from http://127.0.0.1:1");
  }

  @Test
  void theReleaseIsLocatedFromThePublicReleaseApiAndAnythingOddIsNoHint() throws Exception {
    Map<String, String> answers =
        Map.of(
            "/api/v1/public/releases/rel_1",
            "{\"id\":\"rel_1\",\"product\":\"acme-phone\",\"version\":\"1.0\","
                + "\"state\":\"published\",\"artifacts\":[{\"name\":\"os.img\"},"
                + "{\"name\":\"boot.img\"}]}",
            "/api/v1/public/releases/rel_2",
            "{\"id\":\"rel_other\",\"product\":\"acme-phone\",\"version\":\"1.0\"}",
            "/api/v1/public/releases/rel_3",
            "not json at all",
            "/api/v1/public/releases/rel_4",
            "{\"id\":\"rel_4\",\"product\":\"../tuf\",\"version\":\"1.0\"}");
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body = answers.get(exchange.getRequestURI().getPath());
          byte[] bytes = (body == null ? "not found" : body).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
          try (var out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    try {
      HttpChainSource source =
          new HttpChainSource(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));

      assertThat(source.locate("rel_1"))
          .contains(
              new ReleaseLocation("acme-phone", "1.0", java.util.List.of("os.img", "boot.img")));
      assertThat(source.locate("rel_2")).isEmpty();
      assertThat(source.locate("rel_3")).isEmpty();
      assertThat(source.locate("rel_4")).isEmpty();
      assertThat(source.locate("rel_5")).isEmpty();
      assertThat(source.locate("../../etc/passwd")).isEmpty();
    } finally {
      server.stop(0);
    }
  }

  private ReleaseChainVerifier verifier(ChainFixture fx, URI uri) {
    return ReleaseChainVerifier.builder()
        .source(new HttpChainSource(uri, Duration.ofSeconds(10)))
        .trustedRoot(fx.rootJson())
        .logKey(NoteVerifier.parse(fx.logKey()))
        .state(VerifierState.inDirectory(dir))
        .clock(fx.clock)
        .build();
  }
}
