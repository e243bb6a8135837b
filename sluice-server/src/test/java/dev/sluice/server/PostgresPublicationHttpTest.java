package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.Tuf;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.tuf.InMemoryTrustedStore;
import dev.sluice.trust.tuf.TargetInfo;
import dev.sluice.trust.tuf.TufUpdater;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Targets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publication on PostgreSQL: root init, publish (twice), revoke, and a TUF client following along
 * (skipped unless SLUICE_TEST_PG_URL is set; required in CI).
 */
class PostgresPublicationHttpTest {
  @TempDir Path dataDir;

  @Test
  void publishAndRevokeBehaveTheSameOnPostgres() {
    try (TestDatabase db = TestDatabases.freshPostgres();
        RunningServer running = new RunningServer(dataDir, Optional.of(db.jdbcUrl()))) {
      Pipeline p = running.pipeline.certifiers(2);
      assertThat(p.createProduct("acme-phone", 2, 1 << 20).status()).isEqualTo(201);
      byte[] root1 = Tuf.init(p, Tuf.rootKeys(3));
      Map<String, byte[]> files = Pipeline.artifacts("pg-publish");
      String id = Tuf.certified(p, "acme-phone", "1.0.0", files);

      Http.Response first = Tuf.publish(p, id);
      assertThat(first.status()).as(first.text()).isEqualTo(200);
      assertThat(Tuf.publish(p, id).json()).isEqualTo(first.json());

      TufUpdater device =
          new TufUpdater(
              Clock.systemUTC(), Tuf.remote(p.http.base()), new InMemoryTrustedStore(), root1);
      device.refresh();
      TargetInfo target = device.targetInfo("acme-phone/1.0.0/system.img").orElseThrow();
      assertThat(device.download(target)).isEqualTo(files.get("system.img"));
      JsonNode custom = target.file().custom().orElseThrow();
      assertThat(custom.get("log_index").asLong())
          .isEqualTo(first.json().get("log_index").asLong());

      var reason = Http.object().put("reason", "recalled");
      assertThat(p.http.post("/api/v1/releases/" + id + "/revoke", p.adminToken, reason).status())
          .isEqualTo(200);
      device.refresh();
      assertThat(device.targetInfo("acme-phone/1.0.0/system.img")).isEmpty();
    }
  }

  @Test
  void anOfflineProductKeyWorksTheSameOnPostgres() {
    try (TestDatabase db = TestDatabases.freshPostgres();
        RunningServer running = new RunningServer(dataDir, Optional.of(db.jdbcUrl()))) {
      Pipeline p = running.pipeline.certifiers(2);
      assertThat(p.createProduct("acme-phone", 2, 1 << 20).status()).isEqualTo(201);
      byte[] root1 = Tuf.init(p, Tuf.rootKeys(3));
      SigningKey holder = SigningKey.generate(KeyScheme.ECDSA_P256);
      ObjectNode key = Http.object().put("signing", "offline");
      key.set("key", holder.verificationKey().toTufJson());
      assertThat(p.http.putJson("/api/v1/tuf/products/acme-phone/key", p.adminToken, key).status())
          .isEqualTo(200);
      Map<String, byte[]> files = Pipeline.artifacts("pg-offline");
      String id = Tuf.certified(p, "acme-phone", "1.0.0", files);
      assertThat(Tuf.publish(p, id).status()).isEqualTo(202);

      Metadata<Targets> pending =
          Metadata.parse(
              p.http.get("/api/v1/tuf/pending/acme-phone", p.adminToken).body(), Targets.class);
      ObjectNode signature = Http.object();
      signature.put("keyid", holder.keyId());
      signature.put("sig", HexFormat.of().formatHex(holder.sign(pending.signedBytes())));
      signature.put("signed_sha256", Sha256.of(pending.signedBytes()).hex());
      Http.Response signed =
          p.http.post("/api/v1/tuf/pending/acme-phone/signature", p.adminToken, signature);
      assertThat(signed.status()).as(signed.text()).isEqualTo(200);
      assertThat(p.release(id).get("state").asText()).isEqualTo("published");

      TufUpdater device =
          new TufUpdater(
              Clock.systemUTC(), Tuf.remote(p.http.base()), new InMemoryTrustedStore(), root1);
      device.refresh();
      TargetInfo target = device.targetInfo("acme-phone/1.0.0/system.img").orElseThrow();
      assertThat(device.download(target)).isEqualTo(files.get("system.img"));
    }
  }
}
