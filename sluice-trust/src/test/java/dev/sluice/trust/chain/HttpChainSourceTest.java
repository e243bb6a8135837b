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
