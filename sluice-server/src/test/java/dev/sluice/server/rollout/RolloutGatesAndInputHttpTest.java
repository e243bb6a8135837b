package dev.sluice.server.rollout;

import static dev.sluice.server.rollout.RolloutFixture.offered;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.SimulatedDevice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhook gates against a real local HTTP server, and bad input and roles on the rollout API. */
class RolloutGatesAndInputHttpTest {
  @TempDir Path dataDir;
  RolloutFixture f;
  HttpServer webhook;
  final AtomicInteger replyStatus = new AtomicInteger(503);
  final List<JsonNode> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    f = new RolloutFixture(dataDir, java.util.Optional.empty(), java.util.Set.of("127.0.0.1"));
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/gate",
        exchange -> {
          received.add(new ObjectMapper().readTree(exchange.getRequestBody().readAllBytes()));
          byte[] body =
              (replyStatus.get() == 200 ? "go" : "error budget exhausted")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(replyStatus.get(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    webhook.createContext(
        "/redirect",
        exchange -> {
          exchange.getResponseHeaders().add("Location", "/gate");
          exchange.sendResponseHeaders(307, -1);
          exchange.close();
        });
    webhook.createContext(
        "/huge",
        exchange -> {
          exchange.sendResponseHeaders(503, 0);
          byte[] line =
              "refused\n\u202egnirts\u0000 ".repeat(1000).getBytes(StandardCharsets.UTF_8);
          for (int i = 0; i < 64; i++) {
            exchange.getResponseBody().write(line);
          }
          exchange.close();
        });
    webhook.start();
  }

  @AfterEach
  void stop() {
    webhook.stop(0);
    f.close();
  }

  @Test
  void aWebhookGateHoldsTheNextStageUntilItAnswers2xx() {
    List<SimulatedDevice> fleet = f.devices("eu", 4, "eu");
    ObjectNode request = f.request("eu", 50, 100);
    request.put("gate", "webhook=http://127.0.0.1:" + webhook.getAddress().getPort() + "/gate");
    String id = f.started(request);
    offered(fleet).forEach(d -> d.install("success"));
    f.evaluate();

    JsonNode waiting = f.show(id);
    assertThat(waiting.get("state").asText()).isEqualTo("waiting-approval");
    assertThat(waiting.get("gate_reply").asText())
        .startsWith("HTTP 503, reply sha256:")
        .endsWith("(22 bytes): error budget exhausted");
    assertThat(received).hasSize(1);
    JsonNode payload = received.getFirst();
    assertThat(payload.get("rollout").asText()).isEqualTo(id);
    assertThat(payload.get("next_stage").asInt()).isEqualTo(2);
    assertThat(payload.get("stages").get(0).get("succeeded").asLong()).isEqualTo(2);
    assertThat(offered(fleet)).isEmpty();

    // It is asked again only after an interval, then lets the stage start.
    replyStatus.set(200);
    f.evaluate();
    assertThat(received).hasSize(1);
    f.clock.shift(Duration.ofSeconds(31));
    f.evaluate();
    assertThat(received).hasSize(2);
    JsonNode advanced = f.show(id);
    assertThat(advanced.get("state").asText()).isEqualTo("running");
    assertThat(advanced.get("current_stage").asInt()).isEqualTo(2);
    assertThat(offered(fleet)).hasSize(2);
  }

  @Test
  void anUnreachableWebhookKeepsTheGateClosedAndSaysWhy() {
    List<SimulatedDevice> fleet = f.devices("eu", 2, "eu");
    ObjectNode request = f.request("eu", 50, 100);
    int port = webhook.getAddress().getPort();
    webhook.stop(0);
    request.put("gate", "webhook=http://127.0.0.1:" + port + "/gate");
    String id = f.started(request);
    offered(fleet).forEach(d -> d.install("success"));
    f.evaluate();
    JsonNode waiting = f.show(id);
    assertThat(waiting.get("state").asText()).isEqualTo("waiting-approval");
    assertThat(waiting.get("gate_reply").asText()).contains("could not be reached");
  }

  @Test
  void aWebhookGateOnlyCallsHostsOnTheAllowList() {
    int port = webhook.getAddress().getPort();
    for (String url :
        new String[] {
          "http://localhost:" + port + "/gate",
          "http://169.254.169.254/latest/meta-data",
          "http://[::1]:" + port + "/gate",
          "https://example.com/hook"
        }) {
      ObjectNode request = f.request("eu", 50, 100);
      request.put("gate", "webhook=" + url);
      Http.Response r = post(request);
      assertProblem(r, 400, "is not on the server's allow-list of webhook hosts");
      assertThat(r.json().get("violations").get(0).get("location").asText())
          .isEqualTo("stages[1].gate");
    }
    assertThat(f.http.get("/api/v1/rollouts", f.auditor).json().get("rollouts")).isEmpty();
    assertThat(received).isEmpty();
  }

  @Test
  void aWebhookRedirectIsNotFollowedAndALongReplyIsKeptAsADigestAndAnExcerpt() {
    List<SimulatedDevice> fleet = f.devices("eu", 2, "eu");
    String base = "webhook=http://127.0.0.1:" + webhook.getAddress().getPort();
    ObjectNode redirected = f.request("eu", 50, 100);
    redirected.put("gate", base + "/redirect");
    String id = f.started(redirected);
    offered(fleet).forEach(d -> d.install("success"));
    f.evaluate();
    JsonNode waiting = f.show(id);
    assertThat(waiting.get("state").asText()).isEqualTo("waiting-approval");
    assertThat(waiting.get("gate_reply").asText()).startsWith("HTTP 307");
    assertThat(received).isEmpty();

    List<SimulatedDevice> others = f.devices("us", 2, "us");
    ObjectNode huge = f.request("us", 50, 100);
    huge.put("gate", base + "/huge");
    String second = f.started(huge);
    offered(others).forEach(d -> d.install("success"));
    f.evaluate();
    JsonNode shown = f.show(second);
    String reply = shown.get("gate_reply").asText();
    assertThat(reply)
        .as(shown.toString())
        .startsWith("HTTP 503, reply sha256:")
        .contains("bytes read of a longer reply");
    assertThat(reply.length()).isLessThan(300);
    assertThat(reply).doesNotContain("\n").doesNotContain("\u202e").doesNotContain("\u0000");
  }

  @Test
  void badRolloutsAreRefusedWithClearErrorsAndNothingIsWritten() {
    String draft =
        f.p.draft(
            RolloutFixture.PRODUCT,
            "2.0.0",
            Pipeline.manifest(RolloutFixture.PRODUCT, "2.0.0", Pipeline.artifacts("x")),
            Pipeline.artifacts("x"));
    ObjectNode unpublished = f.request("eu", 100);
    unpublished.put("release", draft);
    assertProblem(post(unpublished), 409, "only a published release can be rolled out");

    assertProblem(post(f.request("eu", 10, 5, 100)), 400, "strictly increasing");
    assertProblem(post(f.request("eu", 10, 50)), 400, "last stage percentage is 100");
    ObjectNode badFilter = f.request("eu", 100);
    badFilter.put("filter", "tag===");
    assertProblem(post(badFilter), 400, "invalid device filter");
    ObjectNode typo = f.request("eu", 100);
    typo.put("stage", 3);
    assertProblem(post(typo), 400, "stage is an unknown field");
    ObjectNode missing = f.request("eu", 100);
    missing.put("release", "rel_01ARZ3NDEKTSV4RRFFQ69G5FAV");
    assertProblem(post(missing), 404, "no release");
    assertProblem(
        f.http.postBytes("/api/v1/rollouts", f.operator, "[1".getBytes(), "application/json"),
        400,
        "not valid JSON");

    assertThat(f.http.get("/api/v1/rollouts", f.auditor).json().get("rollouts")).isEmpty();
    assertProblem(
        f.http.get("/api/v1/rollouts/ro_01ARZ3NDEKTSV4RRFFQ69G5FAV", f.auditor), 404, "no rollout");
    assertProblem(f.http.get("/api/v1/rollouts?state=done", f.auditor), 400, "rollout state");
  }

  @Test
  void operatorsRunRolloutsAuditorsOnlyReadThem() {
    f.devices("eu", 1, "eu");
    assertProblem(f.http.post("/api/v1/rollouts", f.auditor, f.request("eu", 100)), 403, "auditor");
    String releaseManager = f.p.token("release-manager", "rm", null);
    String id = f.create(f.request("eu", 100));
    assertProblem(f.http.get("/api/v1/rollouts/" + id, releaseManager), 403, "release-manager");
    assertProblem(
        f.http.postBytes(
            "/api/v1/rollouts/" + id + "/start", f.auditor, new byte[0], "application/json"),
        403,
        "auditor");
    assertProblem(f.http.get("/api/v1/rollouts", null), 401, "Authorization");
    Http.Response listed = f.http.get("/api/v1/rollouts?state=created", f.auditor);
    assertThat(Pipeline.names(listed.json().get("rollouts"), "id")).containsExactly(id);
  }

  @Test
  void aRolloutOfARevokedReleaseHaltsWhenItWouldAssign() {
    List<SimulatedDevice> fleet = f.devices("eu", 2, "eu");
    String id = f.create(f.request("eu", 100));
    Http.Response revoked =
        f.http.post(
            "/api/v1/releases/" + f.release + "/revoke",
            f.p.adminToken,
            Http.object().put("reason", "a regression was found"));
    assertThat(revoked.status()).as(revoked.text()).isEqualTo(200);
    f.act(id, "start");
    f.evaluate();
    JsonNode halted = f.show(id);
    assertThat(halted.get("state").asText()).isEqualTo("halted");
    assertThat(halted.get("halt").get("kind").asText()).isEqualTo("assignment-refused");
    assertThat(offered(fleet)).isEmpty();
  }

  private Http.Response post(ObjectNode request) {
    return f.http.post("/api/v1/rollouts", f.operator, request);
  }

  private static void assertProblem(Http.Response response, int status, String fragment) {
    assertThat(response.status()).as(response.text()).isEqualTo(status);
    assertThat(response.json().get("detail").asText()).contains(fragment);
  }
}
