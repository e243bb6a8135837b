package dev.sluice.server.tuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.tuf.ProductBins;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.Tuf;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Targets;
import java.net.URI;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tuf-js, a TUF client nobody here wrote, against a running Sluice server: it bootstraps from
 * 1.root.json, finds a published release's artifact through the product's delegated role and
 * downloads it; it follows a root rotation; it refuses the expired timestamp of a server whose
 * clock is behind; and, behind a tampering proxy, it refuses a modified artifact, a replayed
 * (rolled-back) timestamp, a timestamp signed by a key the root does not list, and mix-and-matched
 * product metadata.
 */
class TufJsLiveServerTest {
  static final String PRODUCT = "acme-phone";

  @TempDir Path dataDir;
  @TempDir Path clientHome;
  RunningServer running;
  Pipeline p;
  List<SigningKey> rootKeys;
  byte[] root1;
  Map<String, byte[]> files;

  @BeforeEach
  void publishARelease() {
    running = new RunningServer(dataDir);
    p = running.pipeline.certifiers(2);
    assertThat(p.createProduct(PRODUCT, 2, 1 << 20).status()).isEqualTo(201);
    rootKeys = Tuf.rootKeys(3);
    root1 = Tuf.init(p, rootKeys);
    files = Pipeline.artifacts("tufjs");
    String id = Tuf.certified(p, PRODUCT, "1.0.0", files);
    Http.Response published = Tuf.publish(p, id);
    assertThat(published.status()).as(published.text()).isEqualTo(200);
  }

  @AfterEach
  void stop() {
    running.close();
  }

  private TufJsClient.Result fetch(TufJsClient client, URI base, String target) throws Exception {
    return client.fetch(base.resolve("/tuf"), base.resolve("/tuf/targets"), target);
  }

  @Test
  void tufJsDownloadsAPublishedArtifactFromTheServer() throws Exception {
    TufJsClient client = new TufJsClient(clientHome, root1);
    TufJsClient.Result result =
        fetch(client, running.server.baseUri(), PRODUCT + "/1.0.0/system.img");
    assertThat(result.ok()).as(result.toString()).isTrue();
    assertThat(client.downloaded("system.img")).isEqualTo(files.get("system.img"));
    assertThat(result.report().at("/custom/log_index").isIntegralNumber()).isTrue();
    assertThat(result.report().at("/custom/leaf_hash").asText()).hasSize(64);
  }

  @Test
  void tufJsDownloadsThroughAProductRoleSignedOffline() throws Exception {
    String watch = "acme-watch";
    assertThat(p.createProduct(watch, 2, 1 << 20).status()).isEqualTo(201);
    SigningKey holder = SigningKey.generate(KeyScheme.ECDSA_P256);
    ObjectNode key = Http.object().put("signing", "offline");
    key.set("key", holder.verificationKey().toTufJson());
    assertThat(p.http.putJson("/api/v1/tuf/products/" + watch + "/key", p.adminToken, key).status())
        .isEqualTo(200);
    Map<String, byte[]> watchFiles = Pipeline.artifacts("tufjs-offline");
    assertThat(Tuf.publish(p, Tuf.certified(p, watch, "2.0.0", watchFiles)).status())
        .isEqualTo(202);
    TufJsClient.Result before =
        fetch(
            new TufJsClient(clientHome, root1),
            running.server.baseUri(),
            watch + "/2.0.0/boot.img");
    assertThat(before.ok()).as("not installable before the signature").isFalse();

    Metadata<Targets> pending =
        Metadata.parse(
            p.http.get("/api/v1/tuf/pending/" + watch, p.adminToken).body(), Targets.class);
    ObjectNode signature = Http.object();
    signature.put("keyid", holder.keyId());
    signature.put("sig", HexFormat.of().formatHex(holder.sign(pending.signedBytes())));
    signature.put("signed_sha256", Sha256.of(pending.signedBytes()).hex());
    assertThat(
            p.http
                .post("/api/v1/tuf/pending/" + watch + "/signature", p.adminToken, signature)
                .status())
        .isEqualTo(200);

    TufJsClient client = new TufJsClient(clientHome.resolve("after"), root1);
    TufJsClient.Result result = fetch(client, running.server.baseUri(), watch + "/2.0.0/boot.img");
    assertThat(result.ok()).as(result.toString()).isTrue();
    assertThat(client.downloaded("boot.img")).isEqualTo(watchFiles.get("boot.img"));
  }

  @Test
  void tufJsFollowsARootRotationOnTheServer() throws Exception {
    List<SigningKey> newKeys = Tuf.rootKeys(2);
    Root trusted = Metadata.parse(root1, Root.class).signed();
    Root next = Tuf.root(2, newKeys, 2, Tuf.onlineKeys(p));
    Metadata<Root> rotated =
        RepositoryBuilder.rotateRoot(trusted, next, rootKeys.subList(0, 2), newKeys);
    assertThat(Tuf.upload(p, rotated.toBytes()).status()).isEqualTo(201);
    TufJsClient client = new TufJsClient(clientHome, root1);
    TufJsClient.Result result =
        fetch(client, running.server.baseUri(), PRODUCT + "/1.0.0/boot.img");
    assertThat(result.ok()).as(result.toString()).isTrue();
    assertThat(client.downloaded("boot.img")).isEqualTo(files.get("boot.img"));
  }

  @Test
  void tufJsRefusesAnExpiredTimestampFromTheServer(@TempDir Path staleData) throws Exception {
    // A server whose clock runs three days behind signs a timestamp (one-day lifetime) that has
    // expired in real time, as a frozen mirror would serve: a device must refuse it.
    java.time.Clock behind =
        java.time.Clock.tick(
            java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofDays(-3)),
            java.time.Duration.ofMillis(1));
    try (RunningServer stale = new RunningServer(staleData, java.util.Optional.empty(), behind)) {
      Pipeline q = stale.pipeline.certifiers(2);
      assertThat(q.createProduct(PRODUCT, 2, 1 << 20).status()).isEqualTo(201);
      byte[] root = Tuf.init(q, Tuf.rootKeys(3));
      String id = Tuf.certified(q, PRODUCT, "1.0.0", files);
      assertThat(Tuf.publish(q, id).status()).isEqualTo(200);
      TufJsClient client = new TufJsClient(clientHome, root);
      TufJsClient.Result result =
          fetch(client, stale.server.baseUri(), PRODUCT + "/1.0.0/system.img");
      assertThat(result.ok()).as(result.toString()).isFalse();
      assertThat(result.error()).containsIgnoringCase("expired");
    }
  }

  @Test
  void tufJsRefusesATimestampSignedByAKeyTheRootDoesNotList() throws Exception {
    SigningKey stranger = dev.sluice.trust.testing.TestKeys.ed25519();
    try (TamperingProxy proxy = new TamperingProxy(running.server.baseUri())) {
      proxy.rewrite(
          "/tuf/timestamp.json",
          body -> {
            var genuine = Metadata.parse(body, dev.sluice.trust.tuf.model.Timestamp.class).signed();
            var forged =
                new dev.sluice.trust.tuf.model.Timestamp(
                    genuine.specVersion(),
                    genuine.version() + 1,
                    genuine.expires(),
                    genuine.snapshotMeta());
            return Metadata.sign(forged, stranger).toBytes();
          });
      TufJsClient client = new TufJsClient(clientHome, root1);
      TufJsClient.Result result = fetch(client, proxy.base(), PRODUCT + "/1.0.0/system.img");
      assertThat(result.ok()).as(result.toString()).isFalse();
    }
  }

  @Test
  void tufJsRefusesMixAndMatchedProductMetadata() throws Exception {
    // A release whose system.img lands in the same hashed bin as 1.0.0's, so that bin gets a
    // version 2.
    String bin = ProductBins.binOf(PRODUCT, PRODUCT + "/1.0.0/system.img");
    String version =
        IntStream.range(1, 10_000)
            .mapToObj(i -> "1.0." + i)
            .filter(v -> ProductBins.binOf(PRODUCT, PRODUCT + "/" + v + "/system.img").equals(bin))
            .findFirst()
            .orElseThrow();
    byte[] firstBin = p.http.get("/tuf/1." + bin + ".json", null).body();
    String id = Tuf.certified(p, PRODUCT, version, Pipeline.artifacts("tufjs-3"));
    assertThat(Tuf.publish(p, id).status()).isEqualTo(200);
    assertThat(p.http.get("/tuf/2." + bin + ".json", null).status()).isEqualTo(200);
    try (TamperingProxy proxy = new TamperingProxy(running.server.baseUri())) {
      // The snapshot lists the bin's version 2; the mirror serves version 1 under it.
      proxy.rewrite("/tuf/2." + bin + ".json", body -> firstBin);
      TufJsClient client = new TufJsClient(clientHome, root1);
      TufJsClient.Result result =
          fetch(client, proxy.base(), PRODUCT + "/" + version + "/system.img");
      assertThat(result.ok()).as(result.toString()).isFalse();
      TufJsClient.Result genuine =
          fetch(
              new TufJsClient(clientHome.resolve("direct"), root1),
              running.server.baseUri(),
              PRODUCT + "/" + version + "/system.img");
      assertThat(genuine.ok()).as(genuine.toString()).isTrue();
    }
  }

  @Test
  void tufJsRefusesAnArtifactModifiedOnTheWay() throws Exception {
    try (TamperingProxy proxy = new TamperingProxy(running.server.baseUri())) {
      String sha256 = dev.sluice.trust.hash.Sha256.of(files.get("system.img")).hex();
      proxy.rewrite(
          "/tuf/targets/" + PRODUCT + "/1.0.0/" + sha256 + ".system.img",
          body -> {
            byte[] copy = body.clone();
            copy[copy.length / 2] ^= 1;
            return copy;
          });
      TufJsClient client = new TufJsClient(clientHome, root1);
      TufJsClient.Result result = fetch(client, proxy.base(), PRODUCT + "/1.0.0/system.img");
      assertThat(result.ok()).as(result.toString()).isFalse();
    }
  }

  @Test
  void tufJsRefusesAReplayedOlderTimestamp() throws Exception {
    byte[] oldTimestamp = p.http.get("/tuf/timestamp.json", null).body();
    String id = Tuf.certified(p, PRODUCT, "1.0.1", Pipeline.artifacts("tufjs-2"));
    assertThat(Tuf.publish(p, id).status()).isEqualTo(200);
    try (TamperingProxy proxy = new TamperingProxy(running.server.baseUri())) {
      TufJsClient client = new TufJsClient(clientHome, root1);
      assertThat(fetch(client, proxy.base(), PRODUCT + "/1.0.1/system.img").ok()).isTrue();
      proxy.rewrite("/tuf/timestamp.json", body -> oldTimestamp);
      TufJsClient.Result result = fetch(client, proxy.base(), PRODUCT + "/1.0.0/system.img");
      assertThat(result.ok()).as(result.toString()).isFalse();
    }
  }
}
