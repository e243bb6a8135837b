package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A body with several problems is answered with one 400 naming every one of them. Every request
 * here is refused, so the tests share one server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryViolationHttpTest {
  RunningServer running;
  Pipeline p;
  Http http;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    running = new RunningServer(dataDir);
    p = running.pipeline.certifiers(1);
    http = p.http;
  }

  @AfterAll
  void stop() {
    running.close();
  }

  private static List<String> locations(Http.Response response) {
    assertThat(response.status()).as(response.text()).isEqualTo(400);
    List<String> out = new ArrayList<>();
    for (JsonNode v : response.json().path("violations")) {
      out.add(v.path("location").asText());
    }
    return out;
  }

  @Test
  void productWithABadNameNoThresholdAndAnUnknownFieldNamesAllThree() {
    ObjectNode body = Http.object();
    body.put("name", "Not A Slug!");
    body.putArray("certifiers").add("lab-1");
    body.put("treshold", 1);
    Http.Response response = http.post("/api/v1/products", p.adminToken, body);

    assertThat(locations(response)).containsExactlyInAnyOrder("/treshold", "/name", "/threshold");
    assertThat(response.json().path("detail").asText()).startsWith("3 problems");
    assertThat(http.get("/api/v1/products", p.adminToken).json().path("products")).isEmpty();
  }

  @Test
  void deviceWithABadIdAndNoProductNamesBoth() {
    ObjectNode body = Http.object();
    body.put("controller_id", "bad id with spaces");
    body.put("tags", "not-a-list");
    Http.Response response = http.post("/api/v1/devices", p.adminToken, body);

    assertThat(locations(response))
        .containsExactlyInAnyOrder("/controller_id", "/product", "/tags");
    assertThat(http.get("/api/v1/devices", p.adminToken).json().path("devices")).isEmpty();
  }

  @Test
  void aSingleProblemKeepsItsOwnMessage() {
    ObjectNode body = Http.object();
    body.put("product", "acme-phone");
    Http.Response response = http.post("/api/v1/devices", p.adminToken, body);

    assertThat(locations(response)).containsExactly("/controller_id");
    assertThat(response.json().path("detail").asText()).isEqualTo("controller_id is required");
  }

  private static final String RELEASE = "/api/v1/releases/rel_01J0000000000000000000000A";
  private static final String ROLLOUT = "/api/v1/rollouts/ro_01J0000000000000000000000A";

  /** Sends {@code json} (single quotes for double) and answers the locations of the 400. */
  private List<String> send(String method, String path, String token, String json) {
    byte[] body = json.replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Http.Response response =
        http.send(
            http.request(path, token)
                .header("Content-Type", "application/json")
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    return locations(response);
  }

  @Test
  void productUpdateNamesEveryProblemAndSaysThresholdIsNoSetting() {
    String path = "/api/v1/products/acme-phone/settings";
    String body = "{'description': 5, 'threshold': 2, 'max_artifact_size': 'big'}";

    assertThat(send("PATCH", path, p.adminToken, body))
        .containsExactlyInAnyOrder("/description", "/threshold", "/max_artifact_size");
    Http.Response answer =
        http.send(
            http.request(path, p.adminToken)
                .header("Content-Type", "application/json")
                .method(
                    "PATCH",
                    java.net.http.HttpRequest.BodyPublishers.ofString("{\"threshold\": 2}"))
                .build());
    assertThat(answer.json().path("detail").asText()).contains("sluice policy propose");
  }

  /**
   * One body per operation, each with two or more problems: method, path, body (single quotes for
   * double), and every location the 400 must name. Certifier decisions are sent with a certifier's
   * token, everything else with the admin's.
   */
  static Stream<Arguments> bodiesWithSeveralProblems() {
    return Stream.of(
        Arguments.of(
            "POST",
            "/api/v1/certifiers",
            "{'id': 'Bad Id', 'keys': [7]}",
            List.of("/id", "/display_name", "/keys/0")),
        Arguments.of(
            "POST",
            "/api/v1/certifiers/lab-1/keys",
            "{'key': 'not a key', 'endorsement': {'key_id': 5, 'signature': '%%'}}",
            List.of("/key", "/endorsement/key_id", "/endorsement/signature")),
        Arguments.of(
            "POST",
            "/api/v1/certifiers/lab-1/keys/abc/revoke",
            "{'reason': 'lost'}",
            List.of("/endorsement", "/reason")),
        Arguments.of(
            "PATCH",
            "/api/v1/certifiers/lab-1",
            "{'display_name': 3, 'nickname': 'lab'}",
            List.of("/display_name", "/nickname")),
        Arguments.of(
            "POST",
            "/api/v1/products/acme-phone/policy/pending",
            "{'threshold': 'two', 'certifiers': ['Bad Id']}",
            List.of("/threshold", "/certifiers")),
        Arguments.of(
            "POST",
            "/api/v1/products/acme-phone/policy/pending/signatures",
            "{'certifier': 'Bad Id', 'signature': '%%', 'statement_sha256': 'xyz'}",
            List.of("/certifier", "/key_id", "/signature", "/statement_sha256")),
        Arguments.of(
            "POST",
            "/api/v1/tokens",
            "{'role': 'emperor', 'label': 7, 'expires_at': 'tomorrow'}",
            List.of("/role", "/label", "/expires_at")),
        Arguments.of(
            "POST",
            "/api/v1/devices/dev-1/tags",
            "{'add': 'x', 'remove': [1, 'ok', null]}",
            List.of("/add", "/remove/0", "/remove/2")),
        Arguments.of(
            "POST",
            "/api/v1/devices/rotate-tokens",
            "{'filter': 1, 'product': true}",
            List.of("/filter", "/product")),
        Arguments.of(
            "POST",
            RELEASE + "/signoffs",
            "{'decision': 'maybe', 'signature': '%%', 'statement_sha256': 'x'}",
            List.of("/decision", "/key_id", "/signature", "/statement_sha256")),
        Arguments.of(
            "PUT",
            RELEASE + "/status-note",
            "{'text': '   ', 'target_date': 'soon'}",
            List.of("/text", "/target_date")),
        Arguments.of(
            "POST",
            ROLLOUT + "/cancel",
            "{'reason': 5, 'why': 'late'}",
            List.of("/reason", "/why")),
        Arguments.of(
            "POST",
            RELEASE + "/revoke",
            "{'reason': 5, 'why': 'late'}",
            List.of("/reason", "/why")),
        Arguments.of(
            "POST",
            "/api/v1/actions/42/cancel",
            "{'reason': ['no'], 'note': 1}",
            List.of("/reason", "/note")),
        Arguments.of(
            "POST",
            "/api/v1/devices/dev-1/actions",
            "{'type': 'sometimes', 'forced_at': 'never', 'confirmation': 'maybe',"
                + " 'maintenance_window': {'schedule': 1}, 'consent': 'yes'}",
            List.of(
                "/release_id",
                "/type",
                "/forced_at",
                "/confirmation",
                "/maintenance_window/schedule",
                "/maintenance_window/duration",
                "/consent")),
        Arguments.of(
            "PUT",
            "/api/v1/products/acme-phone/ddi",
            "{'part': 1, 'consent': 'yes'}",
            List.of("/part", "/consent")),
        Arguments.of(
            "PUT",
            "/api/v1/tuf/products/acme-phone/key",
            "{'signing': 1, 'keys': []}",
            List.of("/signing", "/keys")),
        Arguments.of(
            "POST",
            "/api/v1/tuf/pending/acme-phone/signature",
            "{'keyid': 1, 'sig': 'ab', 'signed_sha256': 'no', 'extra': 0}",
            List.of("/keyid", "/signed_sha256", "/extra")),
        Arguments.of(
            "POST",
            "/api/v1/rollouts",
            "{'stages': [10, 'half'], 'gate': 'later', 'dynamic': 'yes',"
                + " 'window': {'schedule': '0 2 * * *', 'duration': 'long'}, 'sequential_test': 3}",
            List.of("/release", "/stages/1", "/gate", "/dynamic", "/window", "/sequential_test")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("bodiesWithSeveralProblems")
  void everyProblemOfABodyIsNamed(String method, String path, String body, List<String> expected) {
    String token = path.endsWith("/signoffs") ? p.certifierTokens.get("lab-1") : p.adminToken;

    assertThat(send(method, path, token, body)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aBodyThatIsNotAnObjectIsOneProblem() {
    assertThat(send("POST", "/api/v1/tokens", p.adminToken, "[1, 2]")).containsExactly("");
    assertThat(send("POST", "/api/v1/tokens", p.adminToken, "{'role': 'admin', 'role': 'x'}"))
        .containsExactly("");
  }
}
