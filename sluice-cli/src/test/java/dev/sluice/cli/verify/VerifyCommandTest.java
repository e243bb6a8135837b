package dev.sluice.cli.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Cli;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.trust.chain.testing.ChainFixture;
import dev.sluice.trust.chain.testing.ChainFixture.Published;
import dev.sluice.trust.chain.testing.ChainFixtureServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice verify} as an outsider runs it, against a real HTTP server publishing a chain built
 * in code (the same public paths as a Sluice server), and offline from a bundle.
 */
class VerifyCommandTest {
  static final byte[] IMAGE = "acme phone system image 14.0.1".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  ChainFixture fx;
  ChainFixtureServer server;
  Published release;
  Path root;
  Path image;

  @BeforeEach
  void publish() throws Exception {
    fx = new ChainFixture(Instant.now(), "acme-phone", "acme-watch");
    fx.createProduct("acme-phone", 2, "lab-a", "lab-b", "lab-c");
    release =
        fx.publish(
            "acme-phone",
            "14.0.1",
            Map.of("system.img", IMAGE, "boot.img", "boot".getBytes()),
            "lab-a",
            "lab-b");
    server = new ChainFixtureServer(fx);
    root = Files.write(dir.resolve("root.json"), fx.rootJson());
    image = Files.write(dir.resolve("system.img"), IMAGE);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  Cli.Result verify(String... args) {
    List<String> all = new ArrayList<>(List.of("verify", "--root", root.toString()));
    all.addAll(List.of("--log-key", fx.logKey()));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void aFileVerifiesAndEveryLinkIsPrinted() {
    Cli.Result result = verify("--server", server.uri().toString(), image.toString());

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out()).contains("Target acme-phone/14.0.1/system.img:");
    assertThat(result.out().lines().filter(l -> l.startsWith("  ✓ "))).hasSize(10);
    assertThat(result.out())
        .contains("✓ certifier sign-offs: lab-a, lab-b signed; threshold 2 of 3")
        .contains("OK: release " + release.releaseId() + " (acme-phone 14.0.1)");
  }

  @Test
  void theLogKeyCanComeFromAFile() throws Exception {
    Path key = Files.writeString(dir.resolve("log.vkey"), fx.logKey() + "\n");

    Cli.Result result =
        Cli.run(
            "verify",
            "--root",
            root.toString(),
            "--log-key",
            key.toString(),
            "--server",
            server.uri().toString(),
            "--product",
            "acme-phone",
            image.toString());

    assertThat(result.code()).as(result.toString()).isZero();
  }

  @Test
  void aReleaseIdVerifiesAndEachArtifactIsDownloadedAndChecked() {
    Cli.Result result = verify("--server", server.uri().toString(), release.releaseId());

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out())
        .contains("✓ artifact: acme-phone/14.0.1/system.img downloaded")
        .contains("✓ artifact: acme-phone/14.0.1/boot.img downloaded");
  }

  @Test
  void aTamperedDownloadFailsAtTheArtifactLink() {
    fx.tamperTarget("acme-phone", "14.0.1", "system.img", "evil".getBytes());

    Cli.Result result = verify("--server", server.uri().toString(), release.releaseId());

    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.out()).contains("✗ artifact:");
    assertThat(result.err()).contains("verification FAILED at the artifact");
  }

  @Test
  void aRevokedReleaseFailsAtTheRevocationLink() {
    fx.revoke(release, "bricks devices");

    Cli.Result result = verify("--server", server.uri().toString(), image.toString());

    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.out()).contains("✓ release record:").contains("✗ not revoked:");
    assertThat(result.err()).contains("bricks devices");
  }

  @Test
  void aRevokedReleaseNoLongerInTufIsNamedRevokedWithItsLoggedReason() {
    fx.revoke(release, "bricks devices");
    fx.removeTargets("acme-phone", "14.0.1");

    Cli.Result result = verify("--server", server.uri().toString(), release.releaseId());

    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.out()).contains("✗ not revoked:");
    assertThat(result.err())
        .contains("verification FAILED at the not revoked")
        .contains("the log records its revocation at index")
        .contains("bricks devices");
  }

  @Test
  void aFileNoTargetListsFails() throws Exception {
    Path other = Files.write(dir.resolve("other.img"), "not released".getBytes());

    Cli.Result result = verify("--server", server.uri().toString(), other.toString());

    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.out()).contains("✗ TUF target: no product's fresh TUF metadata lists");
  }

  @Test
  void aForkIsNoticedAgainstTheStateAndKeptAsEvidence() throws Exception {
    Path state = dir.resolve("state");
    assertThat(
            verify(
                    "--server",
                    server.uri().toString(),
                    "--state",
                    state.toString(),
                    image.toString())
                .code())
        .isZero();
    List<byte[]> entries = new ArrayList<>();
    for (long i = 0; i < fx.logSize(); i++) {
      entries.add(fx.entry(i));
    }
    fx.fork(0, "rewritten".getBytes());
    entries.forEach(fx::append);

    Cli.Result result =
        verify("--server", server.uri().toString(), "--state", state.toString(), image.toString());

    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.out()).contains("✗ log checkpoint:");
    assertThat(result.err()).contains("the log forked");
    try (var forks = Files.list(state.resolve("forks"))) {
      assertThat(forks.toList())
          .singleElement()
          .satisfies(d -> assertThat(d.resolve("offered.checkpoint")).exists());
    }
  }

  @Test
  void aBundleVerifiesWithNoNetwork() {
    Path bundle = dir.resolve("x.bundle.json");
    Cli.Result made =
        Cli.run(
            "verify",
            "bundle",
            release.releaseId(),
            "-o",
            bundle.toString(),
            "--server",
            server.uri().toString(),
            "--root",
            root.toString(),
            "--log-key",
            fx.logKey());
    assertThat(made.code()).as(made.toString()).isZero();
    assertThat(bundle).exists();
    server.close();

    Cli.Result file = verify("--bundle", bundle.toString(), image.toString());
    Cli.Result whole = verify("--bundle", bundle.toString());

    assertThat(file.code()).as(file.toString()).isZero();
    assertThat(file.out()).contains("OK: release " + release.releaseId());
    assertThat(whole.code()).as(whole.toString()).isZero();
    assertThat(whole.out()).contains("a bundle holds no artifacts");
  }

  @Test
  void aWrongCommandLineIsAUsageError() throws Exception {
    assertThat(Cli.run("verify", "--server", server.uri().toString(), image.toString()).code())
        .isEqualTo(2);
    assertThat(verify(image.toString()).code()).isEqualTo(2);
    // A bundle that does not exist is a missing file, as for every command, before anything else.
    Cli.Result noBundle =
        verify("--server", server.uri().toString(), "--bundle", "x", image.toString());
    assertThat(noBundle.code()).isEqualTo(ExitCodes.NO_SUCH_FILE);
    assertThat(noBundle.err()).contains("no such file or directory: x (--bundle)");
    Cli.Result badKey =
        Cli.run(
            "verify",
            "--root",
            root.toString(),
            "--log-key",
            "not-a-key",
            "--server",
            server.uri().toString(),
            image.toString());
    assertThat(badKey.code()).isEqualTo(2);
    assertThat(badKey.err()).contains("--log-key");
    Path notBundle = Files.writeString(dir.resolve("nb.json"), "{}");
    assertThat(verify("--bundle", notBundle.toString()).err()).contains("not a verify bundle");
  }
}
