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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A body with several problems is answered with one 400 naming every one of them. */
class EveryViolationHttpTest {
  @TempDir Path dataDir;
  RunningServer running;
  Pipeline p;
  Http http;

  @BeforeEach
  void start() {
    running = new RunningServer(dataDir);
    p = running.pipeline.certifiers(1);
    http = p.http;
  }

  @AfterEach
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

  @Test
  void certifierRegistrationNamesABadIdAMissingNameAndABadKey() {
    assertThat(send("POST", "/api/v1/certifiers", p.adminToken, "{'id': 'Bad Id', 'keys': [7]}"))
        .containsExactlyInAnyOrder("/id", "/display_name", "/keys/0");
  }

  @Test
  void certifierKeyAdditionNamesTheKeyAndEachEndorsementProblem() {
    String body = "{'key': 'not a key', 'endorsement': {'key_id': 5, 'signature': '%%'}}";
    assertThat(send("POST", "/api/v1/certifiers/lab-1/keys", p.adminToken, body))
        .containsExactlyInAnyOrder("/key", "/endorsement/key_id", "/endorsement/signature");
  }

  @Test
  void keyRevocationWithoutEndorsementAndAnUnknownFieldNamesBoth() {
    String path = "/api/v1/certifiers/lab-1/keys/abc/revoke";
    assertThat(send("POST", path, p.adminToken, "{'reason': 'lost'}"))
        .containsExactlyInAnyOrder("/endorsement", "/reason");
  }

  @Test
  void certifierUpdateNamesAWrongTypeAndAnUnknownField() {
    String body = "{'display_name': 3, 'nickname': 'lab'}";
    assertThat(send("PATCH", "/api/v1/certifiers/lab-1", p.adminToken, body))
        .containsExactlyInAnyOrder("/display_name", "/nickname");
  }

  @Test
  void policyProposalNamesTheThresholdAndTheCertifiers() {
    String body = "{'threshold': 'two', 'certifiers': ['Bad Id']}";
    assertThat(send("POST", "/api/v1/products/acme-phone/policy/pending", p.adminToken, body))
        .containsExactlyInAnyOrder("/threshold", "/certifiers");
  }

  @Test
  void policySignatureNamesEachBadAndMissingField() {
    String body = "{'certifier': 'Bad Id', 'signature': '%%', 'statement_sha256': 'xyz'}";
    String path = "/api/v1/products/acme-phone/policy/pending/signatures";
    assertThat(send("POST", path, p.adminToken, body))
        .containsExactlyInAnyOrder("/certifier", "/key_id", "/signature", "/statement_sha256");
  }

  @Test
  void tokenRequestNamesTheRoleTheLabelAndTheExpiry() {
    String body = "{'role': 'emperor', 'label': 7, 'expires_at': 'tomorrow'}";
    assertThat(send("POST", "/api/v1/tokens", p.adminToken, body))
        .containsExactlyInAnyOrder("/role", "/label", "/expires_at");
  }

  @Test
  void deviceTagsNameEachBadList() {
    String body = "{'add': 'x', 'remove': [1, 'ok', null]}";
    assertThat(send("POST", "/api/v1/devices/dev-1/tags", p.adminToken, body))
        .containsExactlyInAnyOrder("/add", "/remove/0", "/remove/2");
  }

  @Test
  void tokenRotationNamesBothFields() {
    String body = "{'filter': 1, 'product': true}";
    assertThat(send("POST", "/api/v1/devices/rotate-tokens", p.adminToken, body))
        .containsExactlyInAnyOrder("/filter", "/product");
  }

  @Test
  void signOffNamesTheDecisionAndEachSignaturePart() {
    String body = "{'decision': 'maybe', 'signature': '%%', 'statement_sha256': 'x'}";
    String certifier = p.certifierTokens.get("lab-1");
    assertThat(send("POST", RELEASE + "/signoffs", certifier, body))
        .containsExactlyInAnyOrder("/decision", "/key_id", "/signature", "/statement_sha256");
  }

  @Test
  void statusNoteNamesTheTextAndTheDate() {
    String body = "{'text': 1, 'target_date': 'soon'}";
    assertThat(send("PUT", RELEASE + "/status-note", p.adminToken, body))
        .containsExactlyInAnyOrder("/text", "/target_date");
  }

  @Test
  void aReasonBodyNamesAWrongTypeAndAnUnknownField() {
    String body = "{'reason': 5, 'why': 'late'}";
    assertThat(send("POST", ROLLOUT + "/cancel", p.adminToken, body))
        .containsExactlyInAnyOrder("/reason", "/why");
    assertThat(send("POST", RELEASE + "/revoke", p.adminToken, body))
        .containsExactlyInAnyOrder("/reason", "/why");
  }

  @Test
  void actionAssignmentNamesEveryFieldAndTheWindowsOwn() {
    String body =
        "{'type': 'sometimes', 'forced_at': 'never', 'confirmation': 'maybe',"
            + " 'maintenance_window': {'schedule': 1}, 'consent': 'yes'}";
    assertThat(send("POST", "/api/v1/devices/dev-1/actions", p.adminToken, body))
        .containsExactlyInAnyOrder(
            "/release_id",
            "/type",
            "/forced_at",
            "/confirmation",
            "/maintenance_window/schedule",
            "/maintenance_window/duration",
            "/consent");
  }

  @Test
  void ddiSettingsNameBothFields() {
    String body = "{'part': 1, 'consent': 'yes'}";
    assertThat(send("PUT", "/api/v1/products/acme-phone/ddi", p.adminToken, body))
        .containsExactlyInAnyOrder("/part", "/consent");
  }

  @Test
  void targetsKeyChoiceNamesTheSigningAndAnUnknownField() {
    String body = "{'signing': 1, 'keys': []}";
    assertThat(send("PUT", "/api/v1/tuf/products/acme-phone/key", p.adminToken, body))
        .containsExactlyInAnyOrder("/signing", "/keys");
  }

  @Test
  void offlineSignatureNamesEachField() {
    String body = "{'keyid': 1, 'sig': 'ZZ', 'signed_sha256': 'no'}";
    assertThat(send("POST", "/api/v1/tuf/pending/acme-phone/signature", p.adminToken, body))
        .contains("/keyid", "/signed_sha256");
  }

  @Test
  void aBodyThatIsNotAnObjectIsOneProblem() {
    assertThat(send("POST", "/api/v1/tokens", p.adminToken, "[1, 2]")).containsExactly("");
    assertThat(send("POST", "/api/v1/tokens", p.adminToken, "{'role': 'admin', 'role': 'x'}"))
        .containsExactly("");
  }
}
