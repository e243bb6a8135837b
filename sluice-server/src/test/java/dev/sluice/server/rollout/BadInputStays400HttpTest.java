package dev.sluice.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.store.db.Database;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that answered 500 (issue 10, item 7): oversized filters, instants beyond any calendar a
 * store keeps, and reasons that are empty, too long or could forge a log line. Each is a 400 naming
 * the field, on every route where it enters; a rollout whose stored filter cannot work stops once
 * with the reason.
 */
class BadInputStays400HttpTest {
  @TempDir Path dataDir;
  RolloutFixture f;

  @BeforeEach
  void start() {
    f = new RolloutFixture(dataDir);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String inList(int n) {
    return "id=in=(" + String.join(",", Collections.nCopies(n, "p")) + ")";
  }

  private static String orChain(int n) {
    IntFunction<String> condition = i -> "id==d" + i;
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : ",").append(condition.apply(i));
    }
    return s.toString();
  }

  private static void assertProblem(Http.Response r, String field, String fragment) {
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.json().get("detail").asText()).as(r.text()).contains(fragment);
    if (field != null) {
      assertThat(r.json().get("violations").get(0).get("location").asText())
          .as(r.text())
          .isEqualTo(field);
    }
  }

  @Test
  void filtersTooLargeForTheDatabaseAreRefusedAndTheLargestAllowedWork() {
    f.devices("eu", 2, "eu");
    for (String route : List.of("/api/v1/devices?filter=", "/api/v1/device-count?filter=")) {
      assertProblem(
          f.http.get(route + q(inList(1300)), f.auditor), "filter", "=in= takes at most 200");
      assertProblem(
          f.http.get(route + q(String.join(";", Collections.nCopies(4, inList(150)))), f.auditor),
          "filter",
          "a filter has at most 500 values in all");
      assertProblem(
          f.http.get(route + q(inList(201)), f.auditor), "filter", "=in= takes at most 200");
      assertProblem(
          f.http.get(route + q("lastseen=lt=+999999999-12-31T23:59:59Z"), f.auditor),
          "filter",
          "lastseen compares with an instant between 1970-01-01T00:00:00Z and");
      assertProblem(
          f.http.get(route + q("lastseen=gt=-000001-01-01T00:00:00Z"), f.auditor),
          "filter",
          "lastseen compares with an instant between");
      // The largest filters allowed run on the database.
      Http.Response list = f.http.get(route + q(inList(200)), f.auditor);
      assertThat(list.status()).as(list.text()).isEqualTo(200);
      Http.Response chain = f.http.get(route + q(orChain(400) + ";" + inList(99)), f.auditor);
      assertThat(chain.status()).as(chain.text()).isEqualTo(200);
    }
    Http.Response count =
        f.http.get("/api/v1/device-count?filter=" + q("id==eu-0,id==eu-1"), f.auditor);
    assertThat(count.json().get("count").asLong()).isEqualTo(2);
  }

  @Test
  void theSameBadFiltersAndInstantsAreRefusedWhenARolloutIsCreated() {
    for (String filter :
        List.of(inList(1300), "lastseen=lt=+999999999-12-31T23:59:59Z", "tag==eu;" + inList(250))) {
      ObjectNode request = f.request("eu", 100);
      request.put("filter", filter);
      Http.Response r = f.http.post("/api/v1/rollouts", f.operator, request);
      assertThat(r.status()).as(r.text()).isEqualTo(400);
      assertThat(r.json().get("detail").asText()).contains("filter");
    }
    ObjectNode forced = f.request("eu", 100);
    forced.put("type", "timeforced");
    forced.put("forced_at", "+999999999-01-01T00:00:00Z");
    Http.Response r = f.http.post("/api/v1/rollouts", f.operator, forced);
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.json().get("detail").asText()).contains("forced_at");
    assertThat(f.http.get("/api/v1/rollouts", f.auditor).json().get("rollouts")).isEmpty();
  }

  @Test
  void anAssignmentForcedAtAnInstantBeyondYear9999IsRefused() {
    f.device("one", "eu");
    for (String at : List.of("+999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z")) {
      ObjectNode body = Http.object();
      body.put("release_id", f.release);
      body.put("type", "timeforced");
      body.put("forced_at", at);
      assertProblem(
          f.http.post("/api/v1/devices/one/actions", f.operator, body),
          "/forced_at",
          "forced_at must be an instant between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z");
    }
    assertThat(f.http.get("/api/v1/devices/one/actions", f.auditor).json().get("actions"))
        .isEmpty();
  }

  @Test
  void aRevocationReasonMustBeOneShortPrintableLine() {
    String path = "/api/v1/releases/" + f.release + "/revoke";
    for (String reason :
        List.of("", "   ", "x".repeat(2001), "bad\nline", "nul\u0000byte", "swap\u202eevil")) {
      Http.Response r = f.http.post(path, f.p.adminToken, Http.object().put("reason", reason));
      assertThat(r.status()).as("reason %s: %s", reason.length(), r.text()).isEqualTo(400);
      assertThat(r.json().get("violations").get(0).get("location").asText()).isEqualTo("/reason");
    }
    assertThat(f.http.post(path, f.p.adminToken, Http.object()).json().get("detail").asText())
        .contains("reason");
    assertThat(f.p.release(f.release).get("state").asText()).isEqualTo("published");
    Http.Response ok =
        f.http.post(path, f.p.adminToken, Http.object().put("reason", "x".repeat(2000)));
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
  }

  @Test
  void aStoredRolloutWhoseFilterCannotWorkHaltsOnceWithTheReason() {
    f.devices("eu", 2, "eu");
    String id = f.create(f.request("eu", 100));
    // As if stored by an earlier version that accepted it.
    try (Database db =
        Database.open("jdbc:sqlite:" + dataDir.toAbsolutePath().resolve("sluice.db"))) {
      int updated =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createUpdate(
                              "UPDATE rollouts SET spec_json = replace(spec_json, '\"tag==eu\"',"
                                  + " :filter) WHERE id = :id")
                          .bind("filter", "\"" + inList(1300) + "\"")
                          .bind("id", id)
                          .execute());
      assertThat(updated).isEqualTo(1);
    }
    f.act(id, "start");
    f.evaluate();
    JsonNode halted = f.show(id);
    assertThat(halted.get("state").asText()).isEqualTo("halted");
    assertThat(halted.get("halt").get("kind").asText()).isEqualTo("invalid-spec");
    assertThat(halted.get("halt").get("message").asText())
        .contains("the rollout cannot be carried out")
        .contains("=in= takes at most 200 values");
    // Later runs leave it alone.
    assertThat(f.running.server.rollouts().runOnce()).isZero();
  }
}
