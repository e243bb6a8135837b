package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device management API against a real server: registration, filters, paging, bad input. */
class DeviceHttpTest {
  @TempDir Path dataDir;
  RunningServer running;
  Pipeline p;
  Http http;
  String operator;
  String auditor;

  @BeforeEach
  void start() {
    running = new RunningServer(dataDir);
    p = running.pipeline.certifiers(1);
    http = p.http;
    assertThat(p.createProduct("acme-phone", 1, 1 << 20).status()).isEqualTo(201);
    operator = p.token("operator", "ops", null);
    auditor = p.token("auditor", "audit", null);
  }

  @AfterEach
  void stop() {
    running.close();
  }

  private Http.Response register(String token, String id, String product, String... tags) {
    ObjectNode body = Http.object();
    body.put("controller_id", id);
    body.put("product", product);
    var list = body.putArray("tags");
    for (String tag : tags) {
      list.add(tag);
    }
    return http.post("/api/v1/devices", token, body);
  }

  private Http.Response bulk(String body, String contentType) {
    return http.postBytes(
        "/api/v1/devices/bulk", operator, body.getBytes(StandardCharsets.UTF_8), contentType);
  }

  private static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private long count(String filter) {
    Http.Response r = http.get("/api/v1/device-count?filter=" + q(filter), auditor);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().get("count").asLong();
  }

  @Test
  void aDeviceWhoseIdIsCountCanBeRead() {
    assertThat(register(operator, "count", "acme-phone").status()).isEqualTo(201);
    assertThat(register(operator, "other", "acme-phone").status()).isEqualTo(201);
    Http.Response device = http.get("/api/v1/devices/count", auditor);
    assertThat(device.status()).as(device.text()).isEqualTo(200);
    assertThat(device.json().get("controller_id").asText()).isEqualTo("count");
    assertThat(count("")).isEqualTo(2);
  }

  private static void assertProblem(Http.Response response, int status, String detailFragment) {
    assertThat(response.status()).as(response.text()).isEqualTo(status);
    assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.json().get("detail").asText()).contains(detailFragment);
  }

  @Test
  void registeredDeviceGetsItsTokenOnceAndIsShownWithoutIt() {
    Http.Response created = register(operator, "phone-1", "acme-phone", "eu", "beta");

    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/api/v1/devices/phone-1");
    assertThat(created.json().get("token").asText()).startsWith("sluice_dev_");
    assertThat(created.json().get("status").asText()).isEqualTo("unknown");
    Http.Response shown = http.get("/api/v1/devices/phone-1", auditor);
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.json().has("token")).isFalse();
    assertThat(shown.json().get("tags").toString()).isEqualTo("[\"beta\",\"eu\"]");
    assertThat(shown.json().get("registered_at").asText()).endsWith("Z");
    assertThat(shown.text()).doesNotContain(created.json().get("token").asText());
  }

  @Test
  void bulkCsvRegistersEveryDeviceAndFiltersSelectThem() {
    StringBuilder csv = new StringBuilder("controller_id,product,tags\n");
    for (int i = 0; i < 250; i++) {
      csv.append(String.format("dev-%03d,acme-phone,%s%n", i, i % 5 == 0 ? "eu;beta" : "us"));
    }
    Http.Response created = bulk(csv.toString(), "text/csv; charset=utf-8");

    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.json().get("count").asInt()).isEqualTo(250);
    assertThat(created.json().get("devices").get(0).get("token").asText())
        .startsWith("sluice_dev_");
    assertThat(count("")).isEqualTo(250);
    assertThat(count("tag==eu;tag==beta")).isEqualTo(50);
    assertThat(count("tag=out=(eu) and id==dev-00*")).isEqualTo(8);

    List<String> ids = new ArrayList<>();
    String next = "";
    int pages = 0;
    do {
      Http.Response page =
          http.get(
              "/api/v1/devices?limit=40&product=acme-phone&filter="
                  + q("tag==us")
                  + (next.isEmpty() ? "" : "&after=" + q(next)),
              operator);
      assertThat(page.status()).as(page.text()).isEqualTo(200);
      page.json().get("devices").forEach(d -> ids.add(d.get("controller_id").asText()));
      JsonNode cursor = page.json().get("next");
      next = cursor == null ? "" : cursor.asText();
      pages++;
    } while (!next.isEmpty());
    assertThat(ids).hasSize(200).isSorted().doesNotContain("dev-000", "dev-005");
    assertThat(pages).isEqualTo(5);
  }

  @Test
  void bulkJsonRegistersDevicesWithTheirOwnTokens() {
    Http.Response created =
        bulk(
            "[{\"controller_id\":\"j-1\",\"product\":\"acme-phone\",\"token\":\"own-token-0123456789abc\"},"
                + "{\"controller_id\":\"j-2\",\"product\":\"acme-phone\",\"tags\":[\"x\"]}]",
            "application/json");

    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.json().get("devices").get(0).has("token")).isFalse();
    assertThat(created.json().get("devices").get(1).get("token").asText())
        .startsWith("sluice_dev_");
  }

  @Test
  void badCsvRowsAreAllListedAndNothingIsRegistered() {
    register(operator, "taken", "acme-phone");
    Http.Response refused =
        bulk(
            "controller_id,product\nok-1,acme-phone\n-bad,acme-phone\nok-2,no-such\nok-1,acme-phone\n"
                + "taken,acme-phone\nok-3\n",
            "text/csv");

    assertProblem(refused, 400, "5 of 6 rows are invalid; nothing was registered");
    List<String> locations = new ArrayList<>();
    refused.json().get("violations").forEach(v -> locations.add(v.get("location").asText()));
    assertThat(locations).containsExactly("line 3", "line 4", "line 5", "line 6", "line 7");
    assertThat(count("")).isEqualTo(1);
  }

  @Test
  void aBadFilterIsA400NamingThePosition() {
    Http.Response refused =
        http.get("/api/v1/devices?filter=" + q("status==pending;tag=~x"), auditor);
    assertProblem(refused, 400, "invalid filter at position 20");
    assertThat(refused.json().get("violations").get(0).get("location").asText())
        .isEqualTo("filter");
    assertProblem(
        http.get("/api/v1/device-count?filter=" + q("status==asleep"), auditor),
        400,
        "a status is one of");
  }

  @Test
  void unknownProductIs404AndATakenIdIs409() {
    assertProblem(register(operator, "a", "no-such"), 404, "no-such");
    assertThat(register(operator, "a", "acme-phone").status()).isEqualTo(201);
    Http.Response again = register(operator, "a", "acme-phone");
    assertProblem(again, 409, "already registered");
    assertThat(again.json().get("conflict").asText()).isEqualTo("already_exists");
  }

  @Test
  void malformedRegistrationsAreRefused() {
    assertProblem(register(operator, "bad id", "acme-phone"), 400, "controller id");
    assertProblem(register(operator, "a", "acme-phone", "bad tag"), 400, "a tag is");
    ObjectNode extra = Http.object().put("controller_id", "a").put("product", "acme-phone");
    extra.put("colour", "red");
    assertProblem(http.post("/api/v1/devices", operator, extra), 400, "unknown field");
    assertProblem(bulk("controller_id,product\na,acme-phone\n", "text/plain"), 415, "text/csv");
    assertThat(count("")).isZero();
  }

  @Test
  void anOversizedBulkBodyIs413() {
    byte[] huge = new byte[(32 << 20) + 100];
    java.util.Arrays.fill(huge, (byte) 'a');
    Http.Response refused = http.postBytes("/api/v1/devices/bulk", operator, huge, "text/csv");
    assertThat(refused.status()).isEqualTo(413);
  }

  @Test
  void rolesAreEnforced() {
    assertProblem(register(auditor, "a", "acme-phone"), 403, "auditor");
    String releaseManager = p.token("release-manager", "rm", null);
    assertThat(http.get("/api/v1/devices", releaseManager).status()).isEqualTo(403);
    assertThat(http.get("/api/v1/devices", null).status()).isEqualTo(401);
    assertThat(register(p.adminToken, "a", "acme-phone").status()).isEqualTo(201);
    ObjectNode change = Http.object();
    change.putArray("add").add("x");
    assertThat(http.post("/api/v1/devices/a/tags", auditor, change).status()).isEqualTo(403);
  }

  @Test
  void tagsAreAddedAndRemoved() {
    register(operator, "a", "acme-phone", "old", "keep");
    ObjectNode change = Http.object();
    change.putArray("add").add("new");
    change.putArray("remove").add("old");

    Http.Response changed = http.post("/api/v1/devices/a/tags", operator, change);

    assertThat(changed.status()).as(changed.text()).isEqualTo(200);
    assertThat(changed.json().get("tags").toString()).isEqualTo("[\"keep\",\"new\"]");
    assertThat(http.post("/api/v1/devices/nope/tags", operator, change).status()).isEqualTo(404);
    ObjectNode both = Http.object();
    both.putArray("add").add("x");
    both.putArray("remove").add("x");
    assertProblem(http.post("/api/v1/devices/a/tags", operator, both), 400, "both added");
  }

  @Test
  void unknownDeviceIs404() {
    assertProblem(http.get("/api/v1/devices/ghost", auditor), 404, "ghost");
  }
}
