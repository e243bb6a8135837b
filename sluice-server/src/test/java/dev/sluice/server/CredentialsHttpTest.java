package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials over HTTP against real servers: API tokens listed without secrets, expiring and
 * revoked (also on a second server sharing the database), their audit actor, device tokens rotated
 * and revoked, devices decommissioned, tokens rotated in bulk, and bulk registration replayed by
 * Idempotency-Key.
 */
class CredentialsHttpTest {
  @TempDir Path dataDir;
  final MovableClock clock = new MovableClock();
  RunningServer running;
  SluiceServer second;
  Pipeline p;
  Http http;

  /** Real time plus an offset the test moves. */
  static final class MovableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration by) {
      offset = offset.plus(by);
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(System.currentTimeMillis()).plus(offset);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @BeforeEach
  void start() {
    running = new RunningServer(dataDir, Optional.empty(), clock);
    p = running.pipeline.certifiers(1);
    http = running.http;
    assertThat(p.createProduct("acme-phone", 1, 1 << 20).status()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    if (second != null) {
      second.close();
    }
    running.close();
  }

  /** A second server on the same data directory and database, as a second instance would be. */
  private Http secondServer() {
    second = SluiceServer.start(ServerConfig.builder(dataDir).port(0).build(), clock);
    return new Http(second.baseUri());
  }

  private Http.Response issue(String role, String label, String expiresAt) {
    ObjectNode body = Http.object().put("role", role).put("label", label);
    if (expiresAt != null) {
      body.put("expires_at", expiresAt);
    }
    return http.post("/api/v1/tokens", p.adminToken, body);
  }

  private String device(String id) {
    Http.Response r =
        http.post(
            "/api/v1/devices",
            p.adminToken,
            Http.object().put("controller_id", id).put("product", "acme-phone"));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("token").asText();
  }

  private int poll(Http on, String id, String authorization) {
    return on.send(
            on.request("/DEFAULT/controller/v1/" + id, null)
                .header("Authorization", authorization)
                .GET()
                .build())
        .status();
  }

  private JsonNode lastAudit() {
    JsonNode events = http.get("/api/v1/audit?limit=1000", p.adminToken).json().get("events");
    return events.get(events.size() - 1);
  }

  @Test
  void tokensAreListedWithoutSecretsAndRevokedOnesFailAtOnceOnEveryServer() {
    Http.Response issued = issue("operator", "release-bot", null);
    assertThat(issued.status()).as(issued.text()).isEqualTo(201);
    String secret = issued.json().get("token").asText();
    String id = issued.json().get("id").asText();
    Http onB = secondServer();
    assertThat(onB.get("/api/v1/devices", secret).status()).isEqualTo(200);

    Http.Response list = http.get("/api/v1/tokens", p.adminToken);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.text()).doesNotContain(secret).doesNotContain(p.adminToken);
    assertThat(list.text()).contains("\"id\":\"" + id + "\"").contains("release-bot");
    assertThat(http.get("/api/v1/tokens", secret).status())
        .as("operators may not list")
        .isEqualTo(403);

    Http.Response revoked =
        http.post("/api/v1/tokens/" + id + "/revoke", p.adminToken, Http.object());
    assertThat(revoked.status()).as(revoked.text()).isEqualTo(200);
    assertThat(revoked.json().has("revoked_at")).isTrue();

    assertThat(http.get("/api/v1/devices", secret).status()).isEqualTo(401);
    assertThat(onB.get("/api/v1/devices", secret).status())
        .as("the second server refuses it too, without waiting for anything")
        .isEqualTo(401);
    JsonNode event = lastAudit();
    assertThat(event.get("action").asText()).isEqualTo("token.revoked");
    assertThat(event.get("subject").asText()).isEqualTo("token/" + id);
    assertThat(http.post("/api/v1/tokens/" + id + "/revoke", p.adminToken, Http.object()).status())
        .isEqualTo(409);
    assertThat(http.post("/api/v1/tokens/NOPE/revoke", p.adminToken, Http.object()).status())
        .isEqualTo(404);
  }

  @Test
  void aTokenStopsWorkingWhenItExpires() {
    String expiresAt = clock.instant().plus(Duration.ofDays(90)).toString();
    Http.Response issued = issue("auditor", "quarterly-audit", expiresAt);
    assertThat(issued.status()).as(issued.text()).isEqualTo(201);
    String secret = issued.json().get("token").asText();
    assertThat(issued.json().get("expires_at").asText()).isNotEmpty();
    assertThat(http.get("/api/v1/devices", secret).status()).isEqualTo(200);

    clock.advance(Duration.ofDays(91));

    Http.Response refused = http.get("/api/v1/devices", secret);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.text()).contains("expired");
    assertThat(issue("auditor", "past", "2001-01-01T00:00:00Z").status()).isEqualTo(400);
    Http.Response overflow = issue("auditor", "far", "+999999999-12-31T23:59:59Z");
    assertThat(overflow.status()).as(overflow.text()).isEqualTo(400);
    assertThat(overflow.text()).contains("expires_at");
    assertThat(issue("auditor", "garbage", "next tuesday").status()).isEqualTo(400);
  }

  @Test
  void theAuditActorIsTheTokensIdAndLabelAndReservedLabelsAreRefused() {
    for (String reserved :
        new String[] {
          "system",
          "System",
          "server",
          "admin",
          "sluice",
          "sluice-server",
          "",
          "a\u0000b",
          "x\u202Ey"
        }) {
      Http.Response r = issue("operator", reserved, null);
      assertThat(r.status()).as("label '%s': %s", reserved, r.text()).isEqualTo(400);
    }
    Http.Response issued = issue("operator", "release-bot", null);
    String secret = issued.json().get("token").asText();
    String id = issued.json().get("id").asText();
    device("actor-1");
    ObjectNode tags = Http.object();
    tags.putArray("add").add("eu");
    assertThat(http.post("/api/v1/devices/actor-1/tags", secret, tags).status()).isEqualTo(200);

    JsonNode event = lastAudit();
    assertThat(event.get("action").asText()).isEqualTo("device.tagged");
    assertThat(event.get("actor").asText()).isEqualTo("token:" + id + "(release-bot)");
  }

  @Test
  void theLastWorkingAdminTokenCannotBeRevoked() {
    String adminId =
        http.get("/api/v1/tokens", p.adminToken).json().get("tokens").get(0).get("id").asText();
    Http.Response refused =
        http.post("/api/v1/tokens/" + adminId + "/revoke", p.adminToken, Http.object());
    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.text()).contains("last working admin token");
    String other = issue("admin", "second-admin", null).json().get("token").asText();
    assertThat(http.post("/api/v1/tokens/" + adminId + "/revoke", other, Http.object()).status())
        .isEqualTo(200);
    assertThat(http.get("/api/v1/tokens", p.adminToken).status()).isEqualTo(401);
  }

  @Test
  void aRotatedOrRevokedDeviceTokenIsRefusedHereAtOnceAndOnTheOtherServerAfterItReadsTheFeed() {
    String old = device("rot-1");
    Http onB = secondServer();
    assertThat(poll(http, "rot-1", "TargetToken " + old)).isEqualTo(200);
    assertThat(poll(onB, "rot-1", "TargetToken " + old)).as("cached on B now").isEqualTo(200);

    Http.Response rotated =
        http.post("/api/v1/devices/rot-1/token/rotate", p.adminToken, Http.object());
    assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
    String fresh = rotated.json().get("token").asText();

    assertThat(poll(http, "rot-1", "TargetToken " + old)).isEqualTo(401);
    assertThat(poll(http, "rot-1", "TargetToken " + fresh)).isEqualTo(200);
    second.ddi().changes().runOnce();
    assertThat(poll(onB, "rot-1", "TargetToken " + old)).isEqualTo(401);
    assertThat(poll(onB, "rot-1", "TargetToken " + fresh)).isEqualTo(200);
    assertThat(lastAudit().get("action").asText()).isEqualTo("device.token-rotated");
    assertThat(lastAudit().toString()).doesNotContain(fresh);

    Http.Response revoked =
        http.post("/api/v1/devices/rot-1/token/revoke", p.adminToken, Http.object());
    assertThat(revoked.status()).as(revoked.text()).isEqualTo(200);
    assertThat(poll(http, "rot-1", "TargetToken " + fresh)).isEqualTo(401);
    second.ddi().changes().runOnce();
    assertThat(poll(onB, "rot-1", "TargetToken " + fresh)).isEqualTo(401);
    assertThat(
            http.post("/api/v1/devices/nobody/token/rotate", p.adminToken, Http.object()).status())
        .isEqualTo(404);
  }

  @Test
  void aRevokedGatewayTokenIsRefusedOnTheOtherServerAfterItReadsTheFeed() {
    Http.Response issued =
        http.post(
            "/api/v1/tokens",
            p.adminToken,
            Http.object()
                .put("role", "device-gateway")
                .put("label", "gw")
                .put("product", "acme-phone"));
    assertThat(issued.status()).as(issued.text()).isEqualTo(201);
    String gateway = "GatewayToken " + issued.json().get("token").asText();
    Http onB = secondServer();
    assertThat(poll(onB, "gw-1", gateway)).isEqualTo(200);
    assertThat(poll(onB, "gw-1", gateway)).as("cached on B now").isEqualTo(200);

    assertThat(
            http.post(
                    "/api/v1/tokens/" + issued.json().get("id").asText() + "/revoke",
                    p.adminToken,
                    Http.object())
                .status())
        .isEqualTo(200);

    assertThat(poll(http, "gw-1", gateway)).isEqualTo(401);
    second.ddi().changes().runOnce();
    assertThat(poll(onB, "gw-1", gateway)).isEqualTo(401);
  }

  @Test
  void aDecommissionedDeviceIsRefusedEverywhereAndKeepsItsRecord() {
    String token = device("dec-1");
    device("dec-2");
    Http onB = secondServer();
    assertThat(poll(onB, "dec-1", "TargetToken " + token)).isEqualTo(200);

    Http.Response r = http.post("/api/v1/devices/dec-1/decommission", p.adminToken, Http.object());
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().has("decommissioned_at")).isTrue();

    assertThat(poll(http, "dec-1", "TargetToken " + token)).isEqualTo(401);
    second.ddi().changes().runOnce();
    assertThat(poll(onB, "dec-1", "TargetToken " + token)).isEqualTo(401);
    Http.Response shown = http.get("/api/v1/devices/dec-1", p.adminToken);
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.json().has("decommissioned_at")).isTrue();
    assertThat(http.get("/api/v1/device-count", p.adminToken).json().get("count").asInt())
        .isEqualTo(1);
    assertThat(
            http.post("/api/v1/devices/dec-1/decommission", p.adminToken, Http.object()).status())
        .isEqualTo(409);
    assertThat(lastAudit().get("action").asText()).isEqualTo("device.decommissioned");
  }

  @Test
  void tokensOfAFilteredSetAreRotatedInBulk() {
    Map<String, String> old = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      old.put("bulk-" + i, device("bulk-" + i));
    }
    Http.Response missing = http.post("/api/v1/devices/rotate-tokens", p.adminToken, Http.object());
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.text()).contains("filter");
    Http.Response r =
        http.post(
            "/api/v1/devices/rotate-tokens",
            p.adminToken,
            Http.object().put("filter", "id=in=(bulk-1,bulk-2)").put("product", "acme-phone"));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().get("count").asInt()).isEqualTo(2);
    for (JsonNode d : r.json().get("devices")) {
      String id = d.get("controller_id").asText();
      assertThat(poll(http, id, "TargetToken " + old.get(id))).isEqualTo(401);
      assertThat(poll(http, id, "TargetToken " + d.get("token").asText())).isEqualTo(200);
    }
    assertThat(poll(http, "bulk-0", "TargetToken " + old.get("bulk-0"))).isEqualTo(200);
    assertThat(lastAudit().get("action").asText()).isEqualTo("device.tokens-rotated");
  }

  @Test
  void aBulkRegistrationWhoseAnswerWasLostIsReplayedByItsIdempotencyKey() {
    byte[] csv =
        "controller_id,product\nidem-1,acme-phone\nidem-2,acme-phone\n"
            .getBytes(StandardCharsets.UTF_8);
    String key = UUID.randomUUID().toString();
    Http.Response first = bulk(http, csv, key);
    assertThat(first.status()).as(first.text()).isEqualTo(201);
    // The client never saw that answer (killed between commit and answer); it retries the same
    // request with the same key, here through the other server.
    Http onB = secondServer();
    Http.Response retry = bulk(onB, csv, key);
    assertThat(retry.status()).as(retry.text()).isEqualTo(201);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.json()).isEqualTo(first.json());
    String token = retry.json().get("devices").get(0).get("token").asText();
    assertThat(poll(http, "idem-1", "TargetToken " + token)).isEqualTo(200);

    byte[] other = "controller_id,product\nidem-3,acme-phone\n".getBytes(StandardCharsets.UTF_8);
    Http.Response reused = bulk(http, other, key);
    assertThat(reused.status()).isEqualTo(409);
    assertThat(reused.json().get("conflict").asText()).isEqualTo("idempotency_key_reused");
    Http.Response weak = bulk(http, other, "abc");
    assertThat(weak.status()).isEqualTo(400);
    assertThat(weak.text()).contains("Idempotency-Key");
    Http.Response noKey = bulk(http, csv, null);
    assertThat(noKey.status()).as("without a key a retry is refused row by row").isEqualTo(400);
  }

  private Http.Response bulk(Http on, byte[] csv, String key) {
    var request =
        on.request("/api/v1/devices/bulk", p.adminToken)
            .header("Content-Type", "text/csv")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(csv));
    return on.send(key == null ? request.build() : request.header("Idempotency-Key", key).build());
  }
}
