package dev.sluice.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.SimulatedDevice;
import dev.sluice.server.testing.Tuf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real server (SQLite or PostgreSQL) with a product, a PUBLISHED release, an operator and devices
 * registered through the device API that speak DDI; rollouts driven through the management API and
 * evaluated by calling the evaluator's {@code runOnce()} after shifting the clock.
 */
final class RolloutFixture implements AutoCloseable {
  static final String PRODUCT = "acme-phone";
  final ShiftedClock clock = new ShiftedClock();
  final RunningServer running;
  final Pipeline p;
  final Http http;
  final String operator;
  final String auditor;
  final String release;

  RolloutFixture(Path dataDir) {
    this(dataDir, Optional.empty());
  }

  RolloutFixture(Path dataDir, Optional<String> databaseUrl) {
    this(dataDir, databaseUrl, java.util.Set.of());
  }

  /** A fixture whose webhook gates may call {@code webhookHosts}. */
  RolloutFixture(Path dataDir, Optional<String> databaseUrl, java.util.Set<String> webhookHosts) {
    this(dataDir, databaseUrl, config -> config.webhookHosts(webhookHosts));
  }

  /** A fixture whose server configuration the test adjusts. */
  RolloutFixture(
      Path dataDir,
      Optional<String> databaseUrl,
      java.util.function.UnaryOperator<dev.sluice.server.ServerConfig.Builder> customize) {
    running = new RunningServer(dataDir, databaseUrl, clock, customize);
    p = running.pipeline.certifiers(2);
    http = p.http;
    assertThat(p.createProduct(PRODUCT, 2, 1 << 20).status()).isEqualTo(201);
    Tuf.init(p, Tuf.rootKeys(3));
    release = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("rollout"));
    Http.Response published = Tuf.publish(p, release);
    assertThat(published.status()).as(published.text()).isEqualTo(200);
    operator = p.token("operator", "ops", null);
    auditor = p.token("auditor", "audit", null);
  }

  /** Registers devices {@code prefix-0 .. prefix-(n-1)} with the tag. */
  List<SimulatedDevice> devices(String prefix, int n, String tag) {
    List<SimulatedDevice> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(device(prefix + "-" + i, tag));
    }
    return out;
  }

  SimulatedDevice device(String id, String tag) {
    ObjectNode body = Http.object();
    body.put("controller_id", id);
    body.put("product", PRODUCT);
    body.putArray("tags").add(tag);
    Http.Response r = http.post("/api/v1/devices", operator, body);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return new SimulatedDevice(http, id, r.json().get("token").asText());
  }

  /** A rollout request of the release to devices tagged {@code tag}. */
  ObjectNode request(String tag, int... stages) {
    ObjectNode body = Http.object();
    body.put("release", release);
    body.put("filter", "tag==" + tag);
    var list = body.putArray("stages");
    for (int s : stages) {
      list.add(s);
    }
    body.put("confirmation", "ddi-success");
    return body;
  }

  String create(ObjectNode request) {
    Http.Response r = http.post("/api/v1/rollouts", operator, request);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  JsonNode act(String rollout, String action) {
    Http.Response r =
        http.postBytes(
            "/api/v1/rollouts/" + rollout + "/" + action,
            operator,
            new byte[0],
            "application/json");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  /** Creates and starts the rollout, then runs the evaluator once. */
  String started(ObjectNode request) {
    String id = create(request);
    act(id, "start");
    evaluate();
    return id;
  }

  void evaluate() {
    running.server.rollouts().runOnce();
  }

  JsonNode show(String rollout) {
    Http.Response r = http.get("/api/v1/rollouts/" + rollout, auditor);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  String state(String rollout) {
    return show(rollout).get("state").asText();
  }

  JsonNode stage(String rollout, int number) {
    return show(rollout).get("stages").get(number - 1);
  }

  /** The devices that currently have an action offered. */
  static List<SimulatedDevice> offered(List<SimulatedDevice> devices) {
    return devices.stream().filter(d -> d.offeredAction().isPresent()).toList();
  }

  @Override
  public void close() {
    running.close();
  }
}
