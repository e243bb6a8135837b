package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.publication.Publication;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.tuf.ProductBins;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.Tuf;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tlog.Checkpoint;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.InclusionProofs;
import dev.sluice.trust.tlog.NoteVerifier;
import dev.sluice.trust.tlog.SignedNote;
import dev.sluice.trust.tuf.InMemoryTrustedStore;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.TargetInfo;
import dev.sluice.trust.tuf.TufUpdater;
import dev.sluice.trust.tuf.model.DelegatedRole;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.TargetPaths;
import dev.sluice.trust.tuf.model.Targets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publication over HTTP: the offline root, publish and revoke, and a TUF client (the trust
 * library's {@link TufUpdater}) that bootstraps from 1.root.json and checks the log.
 */
class PublicationHttpTest {
  static final String PRODUCT = "acme-phone";

  @TempDir Path dataDir;
  RunningServer running;
  Pipeline p;
  List<SigningKey> rootKeys;

  @BeforeEach
  void start() {
    running = new RunningServer(dataDir);
    p = running.pipeline.certifiers(2);
    assertThat(p.createProduct(PRODUCT, 2, 1 << 20).status()).isEqualTo(201);
    rootKeys = Tuf.rootKeys(3);
  }

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void aDeviceFindsVerifiesAndProvesAPublishedRelease() {
    byte[] root1 = Tuf.init(p, rootKeys);
    Map<String, byte[]> files = Pipeline.artifacts("pub");
    String id = Tuf.certified(p, PRODUCT, "1.0.0", files);

    Http.Response published = Tuf.publish(p, id);
    assertThat(published.status()).as(published.text()).isEqualTo(200);
    assertThat(p.release(id).get("state").asText()).isEqualTo("published");

    TufUpdater device = updater(root1);
    device.refresh();
    TargetInfo target = device.targetInfo(PRODUCT + "/1.0.0/system.img").orElseThrow();
    // The product's role delegates its targets to hashed bins: the target is in its bin.
    assertThat(target.topRole()).isEqualTo(PRODUCT);
    assertThat(target.role()).isEqualTo(ProductBins.binOf(PRODUCT, PRODUCT + "/1.0.0/system.img"));
    assertThat(device.download(target)).isEqualTo(files.get("system.img"));
    assertThat(device.targetInfo(PRODUCT + "/1.0.0/boot.img")).isPresent();

    JsonNode custom = target.file().custom().orElseThrow();
    assertThat(custom.get("release_id").asText()).isEqualTo(id);
    assertThat(custom.get("version").asText()).isEqualTo("1.0.0");
    long index = custom.get("log_index").asLong();
    String leafHash = custom.get("leaf_hash").asText();
    assertThat(published.json().get("log_index").asLong()).isEqualTo(index);
    assertThat(published.json().get("leaf_hash").asText()).isEqualTo(leafHash);
    assertThat(
            p.http.get("/log/v1/lookup?leaf_hash=" + leafHash, null).json().get("index").asLong())
        .isEqualTo(index);

    Checkpoint checkpoint = checkpoint();
    JsonNode proof =
        p.http
            .get("/log/v1/inclusion?index=" + index + "&tree_size=" + checkpoint.size(), null)
            .json();
    List<Hash> hashes = new ArrayList<>();
    proof.get("hashes").forEach(h -> hashes.add(Hash.fromBase64(h.asText())));
    InclusionProofs.verify(
        index, checkpoint.size(), Hash.fromHex(leafHash), hashes, checkpoint.rootHash());

    var audit = p.http.get("/api/v1/audit?subject=release/" + id, p.adminToken);
    assertThat(Pipeline.names(audit.json().get("events"), "action"))
        .containsOnlyOnce("release.published");

    // The log record names the manifest by digest; anyone can fetch it by that digest.
    String manifestSha256 = p.release(id).get("manifest_sha256").asText();
    Http.Response manifest = p.http.get("/manifests/" + manifestSha256, null);
    assertThat(manifest.status()).isEqualTo(200);
    assertThat(dev.sluice.trust.hash.Sha256.of(manifest.body()).hex()).isEqualTo(manifestSha256);
    assertThat(manifest.header("Cache-Control")).contains("immutable");
  }

  @Test
  void manifestsOfUnpublishedReleasesAreNotPublic() {
    Tuf.init(p, rootKeys);
    String id = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("private"));
    String manifestSha256 = p.release(id).get("manifest_sha256").asText();
    assertThat(p.http.get("/manifests/" + manifestSha256, null).status()).isEqualTo(404);
    assertThat(p.http.get("/manifests/not-a-digest", null).status()).isEqualTo(404);
  }

  @Test
  void publishingTwiceGivesTheSameLogEntryAndNoNewMetadata() {
    Tuf.init(p, rootKeys);
    String id = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("twice"));
    JsonNode first = Tuf.publish(p, id).json();
    JsonNode statusBefore = status();
    long sizeBefore = checkpoint().size();

    Http.Response again = Tuf.publish(p, id);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json()).isEqualTo(first);
    assertThat(status()).isEqualTo(statusBefore);
    assertThat(checkpoint().size()).isEqualTo(sizeBefore);
  }

  @Test
  void onlyACertifiedReleaseCanBePublished() {
    Tuf.init(p, rootKeys);
    Map<String, byte[]> files = Pipeline.artifacts("checked");
    String id = p.draft(PRODUCT, "1.0.0", Pipeline.manifest(PRODUCT, "1.0.0", files), files);
    assertThat(p.check(id).status()).isEqualTo(200);

    Http.Response refused = Tuf.publish(p, id);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("conflict").asText()).isEqualTo("illegal_transition");
    assertThat(p.release(id).get("state").asText()).isEqualTo("checked");
  }

  @Test
  void publishingBeforeTheRootIsInstalledIsRefused() {
    String id = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("noroot"));
    long policies = checkpoint().size(); // the product's policy record

    Http.Response refused = Tuf.publish(p, id);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.text()).contains("sluice tuf root init");
    assertThat(p.http.get("/tuf/1.root.json", null).status()).isEqualTo(404);
    assertThat(p.http.get("/tuf/timestamp.json", null).status()).isEqualTo(404);
    assertThat(checkpoint().size()).isEqualTo(policies);
  }

  @Test
  void revokingRemovesTheTargetsAndLogsARevocation() {
    byte[] root1 = Tuf.init(p, rootKeys);
    Map<String, byte[]> files = Pipeline.artifacts("revoke");
    String id = Tuf.certified(p, PRODUCT, "1.0.0", files);
    JsonNode published = Tuf.publish(p, id).json();
    String sha = Sha256.of(files.get("system.img")).hex();
    String targetUrl = "/tuf/targets/" + PRODUCT + "/1.0.0/" + sha + ".system.img";
    assertThat(p.http.get(targetUrl, null).body()).isEqualTo(files.get("system.img"));

    var body = Http.object().put("reason", "bricks devices with old bootloaders");
    Http.Response revoked = p.http.post("/api/v1/releases/" + id + "/revoke", p.adminToken, body);
    assertThat(revoked.status()).as(revoked.text()).isEqualTo(200);
    assertThat(revoked.json().get("kind").asText()).isEqualTo("revocation");
    assertThat(revoked.json().get("log_index").asLong())
        .isGreaterThan(published.get("log_index").asLong());
    assertThat(p.release(id).get("state").asText()).isEqualTo("revoked");

    TufUpdater device = updater(root1);
    device.refresh();
    assertThat(device.targetInfo(PRODUCT + "/1.0.0/system.img")).isEmpty();
    assertThat(p.http.get(targetUrl, null).status()).isEqualTo(404);
    JsonNode entry =
        p.http.get("/api/v1/audit?subject=release/" + id, p.adminToken).json().get("events");
    assertThat(Pipeline.names(entry, "action")).contains("release.revoked");
    assertThat(Tuf.publish(p, id).status()).isEqualTo(409);
  }

  @Test
  void aProductsKeyIsTrustedOnlyForThatProductsPaths() {
    Tuf.init(p, rootKeys);
    assertThat(p.createProduct("acme-watch", 2, 1 << 20).status()).isEqualTo(201);
    assertThat(Tuf.publish(p, Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("a"))).status())
        .isEqualTo(200);
    assertThat(
            Tuf.publish(p, Tuf.certified(p, "acme-watch", "2.0.0", Pipeline.artifacts("b")))
                .status())
        .isEqualTo(200);

    long version = status().get("roles").get(1).get("version").asLong();
    Targets top =
        Metadata.parse(p.http.get("/tuf/" + version + ".targets.json", null).body(), Targets.class)
            .signed();
    assertThat(top.targets()).isEmpty();
    DelegatedRole phone = top.delegations().orElseThrow().role(PRODUCT).orElseThrow();
    DelegatedRole watch = top.delegations().orElseThrow().role("acme-watch").orElseThrow();
    assertThat(phone.terminating()).isTrue();
    assertThat(phone.paths().matches(PRODUCT + "/1.0.0/system.img")).isTrue();
    assertThat(phone.paths().matches("acme-watch/2.0.0/system.img")).isFalse();
    assertThat(watch.paths().matches(PRODUCT + "/1.0.0/system.img")).isFalse();
    assertThat(phone.keys().keyIds()).doesNotContainAnyElementsOf(watch.keys().keyIds());
    // The phone's role delegates its targets to bins, signed by the phone's key and trusted only
    // for their hash prefix, under the phone's paths.
    Targets phoneRole =
        Metadata.parse(p.http.get("/tuf/1." + PRODUCT + ".json", null).body(), Targets.class)
            .signed();
    assertThat(phoneRole.targets()).isEmpty();
    List<DelegatedRole> bins = phoneRole.delegations().orElseThrow().roles();
    assertThat(bins).isNotEmpty();
    List<String> listed = new ArrayList<>();
    for (DelegatedRole bin : bins) {
      assertThat(bin.keys().keyIds()).isEqualTo(phone.keys().keyIds());
      assertThat(bin.paths()).isInstanceOf(TargetPaths.HashPrefixes.class);
      Targets binTargets =
          Metadata.parse(p.http.get("/tuf/1." + bin.name() + ".json", null).body(), Targets.class)
              .signed();
      binTargets.targets().keySet().forEach(path -> assertThat(bin.paths().matches(path)).isTrue());
      listed.addAll(binTargets.targets().keySet());
    }
    assertThat(listed)
        .containsExactlyInAnyOrder(PRODUCT + "/1.0.0/system.img", PRODUCT + "/1.0.0/boot.img");
  }

  @Test
  void aPublicationInterruptedAfterTheLogAppendCompletesWithTheSameRecord() {
    Tuf.init(p, rootKeys);
    String id = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("crash"));
    // The crash: step 1 (record stored and queued in the log) ran, the TUF step did not.
    Publication logged =
        running
            .server
            .publications()
            .record(Principal.system(), new ReleaseId(id), Optional.empty());
    assertThat(p.release(id).get("state").asText()).isEqualTo("certified");

    Http.Response retried = Tuf.publish(p, id);
    assertThat(retried.status()).as(retried.text()).isEqualTo(200);
    assertThat(retried.json().get("leaf_hash").asText()).isEqualTo(logged.leafHash().hex());
    // The product's policy record, then the one release record.
    assertThat(checkpoint().size()).isEqualTo(2);
    assertThat(p.release(id).get("state").asText()).isEqualTo("published");
  }

  @Test
  void aRestartFinishesAnInterruptedPublication() throws Exception {
    Tuf.init(p, rootKeys);
    String id = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("restart"));
    Publication logged =
        running
            .server
            .publications()
            .record(Principal.system(), new ReleaseId(id), Optional.empty());
    running.close();
    running = null;

    try (SluiceServer restarted =
        SluiceServer.start(ServerConfig.builder(dataDir).port(0).build())) {
      String admin = Files.readString(dataDir.resolve("admin.token")).strip();
      Http http = new Http(restarted.baseUri());
      JsonNode release = http.get("/api/v1/releases/" + id, admin).json();
      assertThat(release.get("state").asText()).isEqualTo("published");
      JsonNode again =
          http.postBytes(
                  "/api/v1/releases/" + id + "/publish", admin, new byte[0], "application/json")
              .json();
      assertThat(again.get("leaf_hash").asText()).isEqualTo(logged.leafHash().hex());
      // Index 0 is the product's policy record.
      assertThat(again.get("log_index").asLong()).isEqualTo(1);
    }
  }

  @Test
  void aRootSignedByTooFewKeysOrListingOtherOnlineKeysIsRefused() {
    Map<String, VerificationKey> online = Tuf.onlineKeys(p);
    Root root = Tuf.root(1, rootKeys, 2, online);
    Metadata<Root> oneSignature = Metadata.sign(root, rootKeys.get(0));
    assertThat(Tuf.upload(p, oneSignature.toBytes()).status()).isEqualTo(400);

    Map<String, VerificationKey> wrong = new HashMap<>(online);
    wrong.put("snapshot", Tuf.rootKeys(1).getFirst().verificationKey());
    Metadata<Root> wrongKeys =
        RepositoryBuilder.signRoot(Tuf.root(1, rootKeys, 2, wrong), rootKeys.subList(0, 2));
    Http.Response refused = Tuf.upload(p, wrongKeys.toBytes());
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.text()).contains("snapshot");

    Metadata<Root> second =
        RepositoryBuilder.signRoot(Tuf.root(2, rootKeys, 2, online), rootKeys.subList(0, 2));
    assertThat(Tuf.upload(p, second.toBytes()).status()).isEqualTo(400);
    assertThat(p.http.get("/tuf/1.root.json", null).status()).isEqualTo(404);
  }

  @Test
  void aRotatedRootIsFollowedByDevicesThatKnowOnlyTheFirst() {
    byte[] root1 = Tuf.init(p, rootKeys);
    List<SigningKey> newKeys = Tuf.rootKeys(2);
    Root trusted = Metadata.parse(root1, Root.class).signed();
    Root next = Tuf.root(2, newKeys, 2, Tuf.onlineKeys(p));
    Metadata<Root> onlyNew = RepositoryBuilder.signRoot(next, newKeys);
    assertThat(Tuf.upload(p, onlyNew.toBytes()).status()).isEqualTo(400);

    Metadata<Root> rotated =
        RepositoryBuilder.rotateRoot(trusted, next, rootKeys.subList(1, 3), newKeys);
    assertThat(Tuf.upload(p, rotated.toBytes()).status()).isEqualTo(201);

    TufUpdater device = updater(root1);
    device.refresh();
    assertThat(device.trustedRoot().version()).isEqualTo(2);
    assertThat(p.http.get("/tuf/3.root.json", null).status()).isEqualTo(404);
  }

  @Test
  void servedMetadataIsCacheableAndTheStatusListsEveryRole() {
    Tuf.init(p, rootKeys);
    Http.Response timestamp = p.http.get("/tuf/timestamp.json", null);
    assertThat(timestamp.status()).isEqualTo(200);
    assertThat(timestamp.body().length).isLessThan(16 * 1024);
    assertThat(timestamp.header("Cache-Control")).isEqualTo("public, max-age=30");
    assertThat(p.http.get("/tuf/1.snapshot.json", null).header("Cache-Control"))
        .contains("immutable");
    assertThat(p.http.get("/tuf/2.snapshot.json", null).status()).isEqualTo(404);
    assertThat(p.http.get("/tuf/1.timestamp.json", null).status()).isEqualTo(404);

    JsonNode status = status();
    assertThat(Pipeline.names(status.get("roles"), "role"))
        .containsExactly("root", "targets", "snapshot", "timestamp");
    assertThat(status.get("roles").get(0).get("threshold").asInt()).isEqualTo(2);
    assertThat(status.get("roles").get(0).get("keyids").size()).isEqualTo(3);
  }

  @Test
  void onlineMetadataIsResignedWhenHalfItsLifetimeHasPassed() {
    running.close();
    MutableClock clock = new MutableClock();
    Path other = dataDir.resolve("clocked");
    try (SluiceServer server =
        SluiceServer.start(ServerConfig.builder(other).port(0).build(), clock)) {
      Pipeline clocked =
          new Pipeline(new Http(server.baseUri()), server.bootstrapAdminToken().orElseThrow());
      Tuf.init(clocked, rootKeys);
      assertThat(server.timestampRefresher().runOnce()).isFalse();

      clock.advance(java.time.Duration.ofHours(11));
      assertThat(server.timestampRefresher().runOnce()).isFalse();
      clock.advance(java.time.Duration.ofHours(2));
      assertThat(server.timestampRefresher().runOnce()).isTrue();
      assertThat(server.timestampRefresher().runOnce()).isFalse();

      JsonNode timestamp = clocked.http.get("/tuf/timestamp.json", null).json().get("signed");
      assertThat(timestamp.get("version").asLong()).isEqualTo(2);
      assertThat(timestamp.get("meta").get("snapshot.json").get("version").asLong()).isEqualTo(1);

      // Snapshot (a week) after half its lifetime, targets (90 days) after half of theirs.
      clock.advance(java.time.Duration.ofDays(3));
      assertThat(server.timestampRefresher().runOnce()).isTrue();
      assertThat(versions(clocked)).containsExactly(1L, 1L, 2L, 3L);
      clock.advance(java.time.Duration.ofDays(45));
      assertThat(server.timestampRefresher().runOnce()).isTrue();
      assertThat(versions(clocked)).containsExactly(1L, 2L, 3L, 4L);
      assertThat(server.timestampRefresher().runOnce()).isFalse();
    } finally {
      running = null;
    }
  }

  private static List<Long> versions(Pipeline pipeline) {
    JsonNode roles =
        pipeline.http.get("/api/v1/tuf/status", pipeline.adminToken).json().get("roles");
    List<Long> versions = new ArrayList<>();
    roles.forEach(r -> versions.add(r.get("version").asLong()));
    return versions;
  }

  private TufUpdater updater(byte[] root1) {
    return new TufUpdater(
        Clock.systemUTC(), Tuf.remote(p.http.base()), new InMemoryTrustedStore(), root1);
  }

  private JsonNode status() {
    Http.Response status = p.http.get("/api/v1/tuf/status", p.adminToken);
    assertThat(status.status()).as(status.text()).isEqualTo(200);
    return status.json();
  }

  private Checkpoint checkpoint() {
    NoteVerifier vkey = NoteVerifier.parse(p.http.get("/log/v1/key", null).text().strip());
    byte[] note = p.http.get("/log/checkpoint", null).body();
    return Checkpoint.fromVerifiedNote(SignedNote.open(note, vkey));
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile java.time.Instant now =
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

    void advance(java.time.Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }
}
