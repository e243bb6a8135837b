package dev.sluice.server.tuf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.Tuf;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Root;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tuf-js, a TUF client nobody here wrote, against a running Sluice server: it bootstraps from
 * 1.root.json, finds a published release's artifact through the product's delegated role and
 * downloads it; it follows a root rotation; and, behind a tampering proxy, it refuses a modified
 * artifact and a replayed (rolled-back) timestamp.
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
