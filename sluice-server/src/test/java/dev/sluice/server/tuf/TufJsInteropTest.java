package dev.sluice.server.tuf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.trust.testing.TestKeys;
import dev.sluice.trust.tuf.TufLayout;
import dev.sluice.trust.tuf.model.MetaFile;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.TargetFile;
import dev.sluice.trust.tuf.model.Targets;
import dev.sluice.trust.tuf.model.Timestamp;
import dev.sluice.trust.tuf.testing.TestRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sluice's TUF metadata, as produced by its repository builder, checked by tuf-js, an independent
 * TUF client: it must accept a genuine repository and refuse each classic attack. One scenario per
 * attack; each client keeps its trusted state between refreshes, as a device does.
 *
 * <p>TUF path patterns never let a wildcard cross a '/' (spec: PATHPATTERN), so a delegation of
 * {@code product-a/*} covers {@code product-a/system-1.0.0.img} but not a deeper path.
 */
class TufJsInteropTest {
  static final String PATH = "product-a/system-1.0.0.img";
  static final byte[] IMAGE = "an operating system image".getBytes(StandardCharsets.UTF_8);

  @TempDir Path home;
  TestRepository repo;
  StaticTufServer server;
  TufJsClient client;

  @BeforeEach
  void setUp() throws Exception {
    repo = new TestRepository();
    repo.addTarget("product-a", PATH, IMAGE);
    server = new StaticTufServer(repo);
    client = new TufJsClient(home, repo.bootstrapRoot());
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private TufJsClient.Result fetch(String path) throws Exception {
    return client.fetch(server.metadata(), server.targets(), path);
  }

  @Test
  void tufJsDownloadsATargetThroughTheProductsDelegatedRole() throws Exception {
    TufJsClient.Result result = fetch(PATH);
    assertThat(result.ok()).as(result.toString()).isTrue();
    assertThat(client.downloaded("system-1.0.0.img")).isEqualTo(IMAGE);
    assertThat(result.report().get("length").asLong()).isEqualTo(IMAGE.length);
  }

  @Test
  void tamperedTargetIsRefused() throws Exception {
    TargetFile listed = repo.delegated.get("product-a").signed().targets().get(PATH);
    byte[] tampered = IMAGE.clone();
    tampered[0] ^= 1;
    repo.serveTarget(PATH, listed, tampered);
    TufJsClient.Result result = fetch(PATH);
    assertThat(result.ok()).as(result.toString()).isFalse();
  }

  @Test
  void expiredTimestampIsRefused() throws Exception {
    Timestamp current = repo.timestamp.signed();
    Instant past = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
    repo.publishTimestamp(
        new Timestamp(current.specVersion(), current.version() + 1, past, current.snapshotMeta()));
    TufJsClient.Result result = fetch(PATH);
    assertThat(result.ok()).as(result.toString()).isFalse();
    assertThat(result.error()).containsIgnoringCase("expired");
  }

  @Test
  void rolledBackTimestampIsRefused() throws Exception {
    byte[] old = repo.timestamp.toBytes();
    repo.addTarget("product-a", "product-a/system-1.0.1.img", IMAGE);
    assertThat(fetch(PATH).ok()).isTrue();
    repo.serve(TufLayout.TIMESTAMP_JSON, old);
    TufJsClient.Result result = fetch(PATH);
    assertThat(result.ok()).as(result.toString()).isFalse();
  }

  @Test
  void rolledBackSnapshotIsRefused() throws Exception {
    repo.addTarget("product-a", "product-a/system-1.0.1.img", IMAGE);
    assertThat(fetch(PATH).ok()).isTrue();
    Timestamp current = repo.timestamp.signed();
    // A fresh timestamp that points devices back at snapshot version 1.
    repo.publishTimestamp(
        new Timestamp(
            current.specVersion(),
            current.version() + 1,
            current.expires(),
            MetaFile.ofVersion(1)));
    TufJsClient.Result result = fetch(PATH);
    assertThat(result.ok()).as(result.toString()).isFalse();
  }

  @Test
  void metadataSignedByTooFewKeysIsRefused() throws Exception {
    Timestamp current = repo.timestamp.signed();
    Timestamp next =
        new Timestamp(
            current.specVersion(),
            current.version() + 1,
            current.expires(),
            current.snapshotMeta());
    repo.serve(TufLayout.TIMESTAMP_JSON, Metadata.sign(next, TestKeys.ed25519()).toBytes());
    TufJsClient.Result result = fetch(PATH);
    assertThat(result.ok()).as(result.toString()).isFalse();
  }

  @Test
  void mixAndMatchTargetsIsRefused() throws Exception {
    Metadata<Targets> first = repo.targets;
    repo.publishTargets();
    repo.publishSnapshot();
    repo.publishTimestamp();
    // The snapshot lists targets version 2; the attacker serves version 1 under that name.
    repo.serve(TufLayout.metadataFile("targets", 2, true), first.toBytes());
    TufJsClient.Result result = fetch(PATH);
    assertThat(result.ok()).as(result.toString()).isFalse();
  }

  @Test
  void rootRotationIsFollowed() throws Exception {
    assertThat(fetch(PATH).ok()).isTrue();
    repo.rotateRoot(TestKeys.generate(dev.sluice.trust.key.KeyScheme.ECDSA_P256, 3));
    repo.publishTargets();
    repo.publishSnapshot();
    repo.publishTimestamp();
    String newPath = "product-a/system-1.0.1.img";
    repo.addTarget("product-a", newPath, IMAGE);
    TufJsClient.Result result = fetch(newPath);
    assertThat(result.ok()).as(result.toString()).isTrue();
  }

  @Test
  void productKeyCannotListAnotherProductsTarget() throws Exception {
    String foreign = "product-b/system-6.6.6.img";
    repo.addTarget("product-a", foreign, IMAGE);
    TufJsClient.Result result = fetch(foreign);
    assertThat(result.ok()).as(result.toString()).isFalse();
  }
}
