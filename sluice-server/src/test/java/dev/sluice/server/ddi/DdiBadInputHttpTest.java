package dev.sluice.server.ddi;

import static dev.sluice.server.ddi.DdiFixture.ddi;
import static dev.sluice.server.ddi.DdiFixture.feedback;
import static dev.sluice.server.ddi.DdiFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.device.DeviceStatus;
import dev.sluice.server.testing.Http;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input and hostile devices on the device API: malformed feedback, unknown and foreign action
 * ids, wrong tokens, gateways, oversized configData. Each gets a clear error and changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DdiBadInputHttpTest {
  @TempDir static Path dataDir;
  DdiFixture f;

  @BeforeAll
  void start() {
    f = new DdiFixture(dataDir, c -> c.polling(Duration.ofMinutes(5), Duration.ofSeconds(30)));
  }

  @AfterAll
  void stop() {
    f.close();
  }

  @Test
  void malformedFeedbackIsRefusedAndChangesNothing() {
    String token = f.device("bad-1");
    long id = f.assign("bad-1", f.release, "forced", null).get("id").asLong();
    String fb = ddi("bad-1") + "/deploymentBase/" + id + "/feedback";
    for (String body :
        new String[] {
          "{not json",
          "[]",
          "{}",
          "{\"status\":\"closed\"}",
          "{\"status\":{\"execution\":\"finished\",\"result\":{\"finished\":\"success\"}}}",
          "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"great\"}}}",
          "{\"status\":{\"execution\":\"closed\",\"result\":\"success\"}}",
          "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"success\"},\"details\":\"x\"}}",
          "{\"id\":\"999\",\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"success\"}}}",
        }) {
      Http.Response r = f.post(fb, target(token), body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.json().get("detail").asText()).as(body).isNotBlank();
    }
    assertThat(f.status(id, "bad-1")).isEqualTo("offered");
    Http.Response tooBig = f.post(fb, target(token), "{\"x\":\"" + "a".repeat(70_000) + "\"}");
    assertThat(tooBig.status()).isEqualTo(413);
  }

  @Test
  void unknownFieldsAreIgnored() {
    String token = f.device("extra-1");
    long id = f.assign("extra-1", f.release, "forced", null).get("id").asLong();
    Http.Response r =
        f.post(
            ddi("extra-1") + "/deploymentBase/" + id + "/feedback",
            target(token),
            "{\"timestamp\":1,\"future\":{\"a\":1},\"status\":{\"execution\":\"proceeding\","
                + "\"result\":{\"finished\":\"none\",\"progress\":{\"cnt\":1,\"of\":3},\"x\":2},"
                + "\"code\":12,\"details\":[\"downloading\"],\"y\":true}}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(f.status(id, "extra-1")).isEqualTo("running");
  }

  @Test
  void unknownAndMalformedActionIdsAreNotFound() {
    String token = f.device("unk-1");
    for (String id : new String[] {"999999", "0", "abc", "-1", "99999999999"}) {
      assertThat(f.get(ddi("unk-1") + "/deploymentBase/" + id, target(token)).status())
          .as(id)
          .isEqualTo(404);
      assertThat(
              f.post(
                      ddi("unk-1") + "/deploymentBase/" + id + "/feedback",
                      target(token),
                      feedback("closed", "success"))
                  .status())
          .as(id)
          .isEqualTo(404);
    }
  }

  @Test
  void aDeviceCanNeverTouchAnotherDevicesAction() {
    String victim = f.device("victim-1");
    String attacker = f.device("attacker-1");
    long id = f.assign("victim-1", f.release, "forced", null).get("id").asLong();
    // With its own identity and the victim's action id: unknown, as if it did not exist.
    Http.Response read = f.get(ddi("attacker-1") + "/deploymentBase/" + id, target(attacker));
    assertThat(read.status()).isEqualTo(404);
    Http.Response write =
        f.post(
            ddi("attacker-1") + "/deploymentBase/" + id + "/feedback",
            target(attacker),
            feedback("closed", "failure"));
    assertThat(write.status()).isEqualTo(404);
    assertThat(f.get(ddi("attacker-1") + "/cancelAction/" + id, target(attacker)).status())
        .isEqualTo(404);
    // With the victim's controller id but its own token: not authenticated.
    assertThat(f.get(ddi("victim-1"), target(attacker)).status()).isEqualTo(401);
    assertThat(
            f.post(
                    ddi("victim-1") + "/deploymentBase/" + id + "/feedback",
                    target(attacker),
                    feedback("closed", "failure"))
                .status())
        .isEqualTo(401);
    assertThat(
            f.put(ddi("victim-1") + "/configData", target(attacker), "{\"data\":{\"a\":\"b\"}}")
                .status())
        .isEqualTo(401);
    assertThat(f.status(id, "victim-1")).isEqualTo("offered");
    assertThat(f.stored("victim-1").attributes()).isEmpty();
    assertThat(f.stored("victim-1").status()).isEqualTo(DeviceStatus.PENDING);
    assertThat(f.get(ddi("victim-1"), target(victim)).status()).isEqualTo(200);
  }

  @Test
  void wrongOrMissingCredentialsAre401AndOtherTenants404() {
    String token = f.device("auth-1");
    assertThat(f.get(ddi("auth-1"), null).status()).isEqualTo(401);
    assertThat(f.get(ddi("auth-1"), "TargetToken wrong").status()).isEqualTo(401);
    assertThat(f.get(ddi("auth-1"), "Bearer " + token).status()).isEqualTo(401);
    assertThat(f.get(ddi("auth-1"), "GatewayToken " + token).status()).isEqualTo(401);
    assertThat(f.get(ddi("nobody-1"), target(token)).status()).isEqualTo(401);
    assertThat(f.get("/OTHER/controller/v1/auth-1", target(token)).status()).isEqualTo(404);
    assertThat(f.get("/default/controller/v1/auth-1", target(token)).status()).isEqualTo(200);
    assertThat(f.get("/DEFAULT/controller/v1/bad%20id", target(token)).status()).isEqualTo(400);
    // The cached answer does not let a wrong token through either.
    assertThat(f.get(ddi("auth-1"), target(token)).status()).isEqualTo(200);
    assertThat(f.get(ddi("auth-1"), "TargetToken wrong").status()).isEqualTo(401);
  }

  @Test
  void aGatewayTokenRegistersUnknownDevicesOfItsProductOnly() {
    String gateway = gatewayToken(DdiFixture.PRODUCT, "gw-1");
    Http.Response poll = f.get(ddi("gw-new-1"), "GatewayToken " + gateway);
    assertThat(poll.status()).as(poll.text()).isEqualTo(200);
    assertThat(f.stored("gw-new-1").product().value()).isEqualTo(DdiFixture.PRODUCT);
    assertThat(f.get(ddi("gw-new-1"), "GatewayToken " + gateway).status()).isEqualTo(200);
    long id = f.assign("gw-new-1", f.release, "forced", null).get("id").asLong();
    JsonNode d = f.get(ddi("gw-new-1") + "/deploymentBase/" + id, "GatewayToken " + gateway).json();
    assertThat(d.get("id").asText()).isEqualTo(Long.toString(id));
    // Unknown devices are registered by polling only.
    assertThat(f.get(ddi("gw-new-2") + "/deploymentBase/1", "GatewayToken " + gateway).status())
        .isEqualTo(404);

    assertThat(f.p.createProduct("acme-watch", 2, 1 << 20).status()).isEqualTo(201);
    String other = gatewayToken("acme-watch", "gw-2");
    assertThat(f.get(ddi("gw-new-1"), "GatewayToken " + other).status()).isEqualTo(403);
    // A gateway token is not a management token.
    assertThat(f.http.get("/api/v1/whoami", gateway).status()).isEqualTo(403);
    // and a gateway token names an existing product
    Http.Response noProduct =
        f.http.post(
            "/api/v1/tokens",
            f.p.adminToken,
            Http.object().put("role", "device-gateway").put("label", "x").put("product", "nope"));
    assertThat(noProduct.status()).isEqualTo(404);
    Http.Response unbound =
        f.http.post(
            "/api/v1/tokens",
            f.p.adminToken,
            Http.object().put("role", "device-gateway").put("label", "x"));
    assertThat(unbound.status()).isEqualTo(400);
  }

  @Test
  void oversizedOrMalformedConfigDataIsRefused() {
    String token = f.device("cfgbad-1");
    String cfg = ddi("cfgbad-1") + "/configData";
    assertThat(
            f.put(cfg, target(token), "{\"data\":{\"k\":\"" + "v".repeat(40_000) + "\"}}").status())
        .isEqualTo(413);
    StringBuilder many = new StringBuilder("{\"data\":{");
    for (int i = 0; i < 200; i++) {
      many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    assertThat(f.put(cfg, target(token), many.append("}}").toString()).status()).isEqualTo(413);
    assertThat(f.put(cfg, target(token), "{\"data\":{\"k\":\"" + "v".repeat(600) + "\"}}").status())
        .isEqualTo(400);
    assertThat(f.put(cfg, target(token), "{\"data\":{\"k\":{\"nested\":1}}}").status())
        .isEqualTo(400);
    assertThat(f.put(cfg, target(token), "{\"data\":{\"k\":\"v\"},\"mode\":\"explode\"}").status())
        .isEqualTo(400);
    assertThat(f.put(cfg, target(token), "{\"mode\":\"merge\"}").status()).isEqualTo(400);
    assertThat(f.stored("cfgbad-1").attributes()).isEmpty();
  }

  @Test
  void assignmentsAreCheckedAndRoleBound() {
    f.device("mgmt-1");
    Http.Response unknownDevice =
        f.http.post(
            "/api/v1/devices/nope-1/actions",
            f.p.adminToken,
            Http.object().put("release_id", f.release));
    assertThat(unknownDevice.status()).isEqualTo(404);
    Http.Response badType =
        f.http.post(
            "/api/v1/devices/mgmt-1/actions",
            f.p.adminToken,
            Http.object().put("release_id", f.release).put("type", "eventually"));
    assertThat(badType.status()).isEqualTo(400);
    Http.Response noDeadline =
        f.http.post(
            "/api/v1/devices/mgmt-1/actions",
            f.p.adminToken,
            Http.object().put("release_id", f.release).put("type", "timeforced"));
    assertThat(noDeadline.status()).isEqualTo(400);
    Http.Response badWindow =
        f.http.post(
            "/api/v1/devices/mgmt-1/actions",
            f.p.adminToken,
            Http.object()
                .put("release_id", f.release)
                .set(
                    "maintenance_window",
                    Http.object().put("schedule", "0 2 * *").put("duration", "PT1H")));
    assertThat(badWindow.status()).isEqualTo(400);
    String auditor = f.p.token("auditor", "aud", null);
    Http.Response forbidden =
        f.http.post(
            "/api/v1/devices/mgmt-1/actions", auditor, Http.object().put("release_id", f.release));
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(f.http.get("/api/v1/devices/mgmt-1/actions", auditor).json().get("actions"))
        .isEmpty();
    String draft =
        f.p.draft(
            DdiFixture.PRODUCT,
            "3.0.0",
            dev.sluice.server.testing.Pipeline.manifest(DdiFixture.PRODUCT, "3.0.0", f.files),
            f.files);
    Http.Response unpublished =
        f.http.post(
            "/api/v1/devices/mgmt-1/actions",
            f.p.adminToken,
            Http.object().put("release_id", draft));
    assertThat(unpublished.status()).isEqualTo(409);
    assertThat(
            f.http
                .postBytes(
                    "/api/v1/actions/424242/cancel",
                    f.p.adminToken,
                    new byte[0],
                    "application/json")
                .status())
        .isEqualTo(404);
  }

  private String gatewayToken(String product, String label) {
    Http.Response r =
        f.http.post(
            "/api/v1/tokens",
            f.p.adminToken,
            Http.object()
                .put("role", "device-gateway")
                .put("label", label)
                .put("product", product));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    assertThat(r.json().get("product").asText()).isEqualTo(product);
    return r.json().get("token").asText();
  }
}
