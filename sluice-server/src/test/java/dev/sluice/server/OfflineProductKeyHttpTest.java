package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.Tuf;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.tuf.InMemoryTrustedStore;
import dev.sluice.trust.tuf.TargetInfo;
import dev.sluice.trust.tuf.TufUpdater;
import dev.sluice.trust.tuf.model.DelegatedRole;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Targets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A product whose delegated targets role is signed offline: publications and revocations wait for
 * the key holder's signature, which is checked against the registered key and the exact pending
 * bytes before the server finishes them online; devices then verify the delegation to that key.
 */
class OfflineProductKeyHttpTest {
  static final String PRODUCT = "acme-phone";

  @TempDir Path dataDir;
  RunningServer running;
  Pipeline p;
  byte[] root1;
  SigningKey productKey;

  @BeforeEach
  void start() {
    running = new RunningServer(dataDir);
    p = running.pipeline.certifiers(2);
    assertThat(p.createProduct(PRODUCT, 2, 1 << 20).status()).isEqualTo(201);
    root1 = Tuf.init(p, Tuf.rootKeys(3));
    productKey = SigningKey.generate(KeyScheme.ED25519);
  }

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void aPublicationWaitsForTheOfflineSignatureThenDevicesVerifyTheDelegationToThatKey() {
    assertThat(setOffline(productKey).json().get("pending").isNull()).isTrue();
    Map<String, byte[]> files = Pipeline.artifacts("offline");
    String id = Tuf.certified(p, PRODUCT, "1.0.0", files);

    Http.Response published = Tuf.publish(p, id);
    assertThat(published.status()).as(published.text()).isEqualTo(202);
    assertThat(published.json().get("state").asText()).isEqualTo("awaiting_signature");
    assertThat(published.json().get("awaiting").get("key_id").asText())
        .isEqualTo(productKey.keyId());
    assertThat(p.release(id).get("state").asText()).isEqualTo("certified");
    assertThat(Tuf.publish(p, id).json()).as("publishing again").isEqualTo(published.json());
    TufUpdater early = updater();
    early.refresh();
    assertThat(early.targetInfo(PRODUCT + "/1.0.0/system.img")).isEmpty();
    JsonNode pending = p.http.get("/api/v1/tuf/pending", p.adminToken).json().get("pending");
    assertThat(pending).hasSize(1);
    assertThat(pending.get(0).get("role").asText()).isEqualTo(PRODUCT);
    assertThat(pending.get(0).get("targets").asInt()).isEqualTo(2);

    Http.Response signed = sign(productKey);
    assertThat(signed.status()).as(signed.text()).isEqualTo(200);
    assertThat(signed.json().get("completed").get(0).asText()).isEqualTo(id);
    assertThat(p.release(id).get("state").asText()).isEqualTo("published");
    assertThat(p.http.get("/api/v1/tuf/pending", p.adminToken).json().get("pending")).isEmpty();

    TufUpdater device = updater();
    device.refresh();
    TargetInfo target = device.targetInfo(PRODUCT + "/1.0.0/system.img").orElseThrow();
    assertThat(device.download(target)).isEqualTo(files.get("system.img"));
    assertThat(delegation().keys().keyIds()).containsExactly(productKey.keyId());
    assertThat(target.file().custom().orElseThrow().get("log_index").asLong())
        .isEqualTo(published.json().get("log_index").asLong());
    assertThat(Tuf.publish(p, id).status()).isEqualTo(200);
    var audit = p.http.get("/api/v1/audit?subject=release/" + id, p.adminToken);
    assertThat(Pipeline.names(audit.json().get("events"), "action"))
        .contains("release.publish_awaiting_signature", "release.published");
  }

  @Test
  void aSignatureByAnotherKeyOrOverOtherBytesIsRefusedAndChangesNothing() {
    setOffline(productKey);
    String id = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("wrong"));
    assertThat(Tuf.publish(p, id).status()).isEqualTo(202);
    JsonNode statusBefore = status();
    byte[] pendingBefore = pendingFile().body();

    Http.Response wrongKey = sign(SigningKey.generate(KeyScheme.ED25519));
    assertThat(wrongKey.status()).as(wrongKey.text()).isEqualTo(400);
    assertThat(wrongKey.text()).contains(productKey.keyId());

    // The right key id, but a signature over something else.
    Metadata<Targets> md = Metadata.parse(pendingBefore, Targets.class);
    ObjectNode forged = Http.object();
    forged.put("keyid", productKey.keyId());
    forged.put("sig", HexFormat.of().formatHex(productKey.sign(new byte[] {1, 2, 3})));
    forged.put("signed_sha256", Sha256.of(md.signedBytes()).hex());
    Http.Response badSig = p.http.post(signaturePath(), p.adminToken, forged);
    assertThat(badSig.status()).isEqualTo(400);
    assertThat(badSig.text()).contains("does not verify");

    assertThat(status()).isEqualTo(statusBefore);
    assertThat(pendingFile().body()).isEqualTo(pendingBefore);
    assertThat(p.release(id).get("state").asText()).isEqualTo("certified");
  }

  @Test
  void aRevocationWaitsForTheSignatureTooAndTheTargetStaysServedUntilThen() {
    setOffline(productKey);
    Map<String, byte[]> files = Pipeline.artifacts("revoke");
    String id = Tuf.certified(p, PRODUCT, "1.0.0", files);
    Tuf.publish(p, id);
    assertThat(sign(productKey).status()).isEqualTo(200);
    String url =
        "/tuf/targets/"
            + PRODUCT
            + "/1.0.0/"
            + Sha256.of(files.get("system.img")).hex()
            + ".system.img";

    var reason = Http.object().put("reason", "recalled");
    Http.Response revoked = p.http.post("/api/v1/releases/" + id + "/revoke", p.adminToken, reason);
    assertThat(revoked.status()).as(revoked.text()).isEqualTo(202);
    assertThat(p.release(id).get("state").asText()).isEqualTo("published");
    assertThat(p.http.get(url, null).status()).isEqualTo(200);

    assertThat(sign(productKey).json().get("completed").get(0).asText()).isEqualTo(id);
    assertThat(p.release(id).get("state").asText()).isEqualTo("revoked");
    assertThat(p.http.get(url, null).status()).isEqualTo(404);
    TufUpdater device = updater();
    device.refresh();
    assertThat(device.targetInfo(PRODUCT + "/1.0.0/system.img")).isEmpty();
  }

  @Test
  void aRestartKeepsThePendingStateAndTheSignatureFinishesItAfterwards() throws Exception {
    setOffline(productKey);
    String id = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("restart"));
    JsonNode awaiting = Tuf.publish(p, id).json();
    byte[] pendingBefore = pendingFile().body();
    running.close();
    running = null;

    try (SluiceServer restarted =
        SluiceServer.start(ServerConfig.builder(dataDir).port(0).build())) {
      String admin = Files.readString(dataDir.resolve("admin.token")).strip();
      p = new Pipeline(new Http(restarted.baseUri()), admin);
      assertThat(p.release(id).get("state").asText()).isEqualTo("certified");
      assertThat(pendingFile().body()).isEqualTo(pendingBefore);
      assertThat(Tuf.publish(p, id).json()).isEqualTo(awaiting);

      assertThat(sign(productKey).status()).isEqualTo(200);
      assertThat(p.release(id).get("state").asText()).isEqualTo("published");
      TufUpdater device = updater();
      device.refresh();
      assertThat(device.targetInfo(PRODUCT + "/1.0.0/boot.img")).isPresent();
    }
  }

  @Test
  void laterPublicationsFoldIntoThePendingMetadataAndAStaleSignatureIsRefused() {
    setOffline(productKey);
    String first = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("one"));
    Tuf.publish(p, first);
    byte[] stale = pendingFile().body();
    String second = Tuf.certified(p, PRODUCT, "1.1.0", Pipeline.artifacts("two"));
    assertThat(Tuf.publish(p, second).status()).isEqualTo(202);

    Http.Response refused =
        p.http.post(signaturePath(), p.adminToken, signature(stale, productKey));
    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.json().get("conflict").asText()).isEqualTo("stale_metadata");

    JsonNode signed = sign(productKey).json();
    assertThat(signed.get("completed")).as("one signature publishes both").hasSize(2);
    assertThat(p.release(first).get("state").asText()).isEqualTo("published");
    assertThat(p.release(second).get("state").asText()).isEqualTo("published");
    TufUpdater device = updater();
    device.refresh();
    assertThat(device.targetInfo(PRODUCT + "/1.0.0/system.img")).isPresent();
    assertThat(device.targetInfo(PRODUCT + "/1.1.0/system.img")).isPresent();
  }

  @Test
  void movingAPublishedProductOfflineAndBackOnlineKeepsDevicesUpdating() {
    Map<String, byte[]> files = Pipeline.artifacts("switch");
    String id = Tuf.certified(p, PRODUCT, "1.0.0", files);
    assertThat(Tuf.publish(p, id).status()).isEqualTo(200);
    String onlineKeyId = delegation().keys().keyIds().getFirst();

    JsonNode set = setOffline(productKey).json();
    assertThat(set.get("pending").get("version").asLong()).isEqualTo(2);
    // Until the new key signs, devices keep verifying the online-signed metadata.
    assertThat(delegation().keys().keyIds()).containsExactly(onlineKeyId);
    TufUpdater device = updater();
    device.refresh();
    assertThat(device.targetInfo(PRODUCT + "/1.0.0/system.img")).isPresent();

    assertThat(sign(productKey).status()).isEqualTo(200);
    assertThat(delegation().keys().keyIds()).containsExactly(productKey.keyId());
    JsonNode roles = status().get("roles");
    JsonNode role = roles.get(4);
    assertThat(role.get("role").asText()).isEqualTo(PRODUCT);
    assertThat(role.get("signing").asText()).isEqualTo("offline");
    assertThat(Instant.parse(role.get("expires").asText()))
        .isAfter(Instant.now().plus(Duration.ofDays(300)));
    TufUpdater afterOffline = updater();
    afterOffline.refresh();
    assertThat(afterOffline.download(afterOffline.targetInfo(PRODUCT + "/1.0.0/system.img").get()))
        .isEqualTo(files.get("system.img"));

    ObjectNode online = Http.object().put("signing", "online");
    Http.Response back =
        p.http.putJson("/api/v1/tuf/products/" + PRODUCT + "/key", p.adminToken, online);
    assertThat(back.status()).as(back.text()).isEqualTo(200);
    assertThat(delegation().keys().keyIds()).containsExactly(onlineKeyId);
    assertThat(status().get("roles").get(4).get("signing").asText()).isEqualTo("online");
    TufUpdater afterOnline = updater();
    afterOnline.refresh();
    assertThat(afterOnline.targetInfo(PRODUCT + "/1.0.0/system.img")).isPresent();
  }

  @Test
  void theRefresherLeavesOfflineRolesAloneAndOnlyAdminsRegisterKeys() {
    setOffline(productKey);
    String id = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("refresh"));
    Tuf.publish(p, id);
    sign(productKey);
    String rm = p.token("release-manager", "rm", null);
    ObjectNode body = Http.object().put("signing", "online");
    assertThat(p.http.putJson("/api/v1/tuf/products/" + PRODUCT + "/key", rm, body).status())
        .isEqualTo(403);
    assertThat(
            p.http
                .putJson("/api/v1/tuf/products/no-such/key", p.adminToken, keyBody(productKey))
                .status())
        .isEqualTo(404);
    assertThat(
            p.http
                .putJson(
                    "/api/v1/tuf/products/" + PRODUCT + "/key",
                    p.adminToken,
                    Http.object().put("signing", "offline"))
                .status())
        .isEqualTo(400);
    assertThat(delegation().keys().keyIds()).containsExactly(productKey.keyId());
  }

  @Test
  void theRefresherReSignsOnlineRolesButNeverAnOfflineOne() {
    running.close();
    PublicationHttpTest.MutableClock clock = new PublicationHttpTest.MutableClock();
    try (SluiceServer server =
        SluiceServer.start(
            ServerConfig.builder(dataDir.resolve("clocked")).port(0).build(), clock)) {
      p = new Pipeline(new Http(server.baseUri()), server.bootstrapAdminToken().orElseThrow());
      p.certifiers(2);
      assertThat(p.createProduct(PRODUCT, 2, 1 << 20).status()).isEqualTo(201);
      // The product's policy record takes this frozen clock's checkpoint slot: sequence it and
      // move past the log's interval so that the release record gets a checkpoint too.
      server.transparencyLog().sequencer().runOnce();
      clock.advance(Duration.ofSeconds(2));
      root1 = Tuf.init(p, Tuf.rootKeys(3));
      setOffline(productKey);
      Tuf.publish(p, Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("clock")));
      assertThat(sign(productKey).status()).isEqualTo(200);
      long productVersion = status().get("roles").get(4).get("version").asLong();
      long targetsVersion = status().get("roles").get(1).get("version").asLong();

      // Past half of targets' 90 days: top-level targets is re-signed, the offline role is not.
      clock.advance(Duration.ofDays(46));
      assertThat(server.timestampRefresher().runOnce()).isTrue();
      assertThat(status().get("roles").get(1).get("version").asLong())
          .isEqualTo(targetsVersion + 1);
      assertThat(status().get("roles").get(4).get("version").asLong()).isEqualTo(productVersion);
      assertThat(delegation().keys().keyIds()).containsExactly(productKey.keyId());
    } finally {
      running = null;
    }
  }

  @Test
  void pendingMetadataIsRenewedBeforeItExpiresAndTheOldBytesBecomeStale() {
    running.close();
    PublicationHttpTest.MutableClock clock = new PublicationHttpTest.MutableClock();
    try (SluiceServer server =
        SluiceServer.start(ServerConfig.builder(dataDir.resolve("renew")).port(0).build(), clock)) {
      p = new Pipeline(new Http(server.baseUri()), server.bootstrapAdminToken().orElseThrow());
      p.certifiers(2);
      assertThat(p.createProduct(PRODUCT, 2, 1 << 20).status()).isEqualTo(201);
      // The product's policy record takes this frozen clock's checkpoint slot: sequence it and
      // move past the log's interval so that the release record gets a checkpoint too.
      server.transparencyLog().sequencer().runOnce();
      clock.advance(Duration.ofSeconds(2));
      root1 = Tuf.init(p, Tuf.rootKeys(3));
      setOffline(productKey);
      String id = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("renew"));
      Tuf.publish(p, id);
      byte[] old = pendingFile().body();
      Instant oldExpiry = Metadata.parse(old, Targets.class).signed().expires();

      clock.advance(Duration.ofDays(100));
      server.timestampRefresher().runOnce();
      assertThat(pendingFile().body()).as("not yet half of a year").isEqualTo(old);
      clock.advance(Duration.ofDays(90));
      server.timestampRefresher().runOnce();
      Targets renewed = Metadata.parse(pendingFile().body(), Targets.class).signed();
      assertThat(renewed.expires()).isAfter(oldExpiry);
      assertThat(renewed.version()).isEqualTo(1);
      assertThat(renewed.targets())
          .isEqualTo(Metadata.parse(old, Targets.class).signed().targets());

      Http.Response stale = p.http.post(signaturePath(), p.adminToken, signature(old, productKey));
      assertThat(stale.status()).isEqualTo(409);
      assertThat(sign(productKey).status()).isEqualTo(200);
      assertThat(p.release(id).get("state").asText()).isEqualTo("published");
    } finally {
      running = null;
    }
  }

  private Http.Response setOffline(SigningKey key) {
    Http.Response r =
        p.http.putJson("/api/v1/tuf/products/" + PRODUCT + "/key", p.adminToken, keyBody(key));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r;
  }

  private static ObjectNode keyBody(SigningKey key) {
    ObjectNode body = Http.object().put("signing", "offline");
    body.set("key", key.verificationKey().toTufJson());
    return body;
  }

  private Http.Response pendingFile() {
    Http.Response r = p.http.get("/api/v1/tuf/pending/" + PRODUCT, p.adminToken);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r;
  }

  /** What {@code sluice tuf sign-pending} does: fetch, sign locally, upload the signature. */
  private Http.Response sign(SigningKey key) {
    return p.http.post(signaturePath(), p.adminToken, signature(pendingFile().body(), key));
  }

  private static ObjectNode signature(byte[] pendingFile, SigningKey key) {
    Metadata<Targets> md = Metadata.parse(pendingFile, Targets.class);
    ObjectNode body = Http.object();
    body.put("keyid", key.keyId());
    body.put("sig", HexFormat.of().formatHex(key.sign(md.signedBytes())));
    body.put("signed_sha256", Sha256.of(md.signedBytes()).hex());
    return body;
  }

  private static String signaturePath() {
    return "/api/v1/tuf/pending/" + PRODUCT + "/signature";
  }

  private DelegatedRole delegation() {
    long version = status().get("roles").get(1).get("version").asLong();
    Targets top =
        Metadata.parse(p.http.get("/tuf/" + version + ".targets.json", null).body(), Targets.class)
            .signed();
    return top.delegations().orElseThrow().role(PRODUCT).orElseThrow();
  }

  private JsonNode status() {
    Http.Response status = p.http.get("/api/v1/tuf/status", p.adminToken);
    assertThat(status.status()).as(status.text()).isEqualTo(200);
    return status.json();
  }

  private TufUpdater updater() {
    return new TufUpdater(
        Clock.systemUTC(), Tuf.remote(p.http.base()), new InMemoryTrustedStore(), root1);
  }
}
