package dev.sluice.server.ddi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.Tuf;
import dev.sluice.server.testing.swupdate.SigningCertificate;
import dev.sluice.server.testing.swupdate.SwuImage;
import dev.sluice.server.testing.swupdate.SwupdateProcess;
import dev.sluice.store.blob.FileBlobStore;
import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real Sluice server (SQLite, devices told to poll every second) and what an operator does with
 * it over the management API: register devices, publish a signed SWUpdate image as a release, roll
 * it out, read actions, devices and rollouts. Devices are real {@code swupdate} daemons ({@link
 * #swupdate}); the rollout evaluator runs when the test says so ({@link #evaluateRollouts()}), on
 * top of the server's own periodic run.
 */
final class SwupdateFleet implements AutoCloseable {
  static final String PRODUCT = "acme-gateway";
  static final String HARDWARE = "board:rev1";

  /** swupdate only installs artifacts named *.swu. */
  static final String ARTIFACT = "image.swu";

  final Path dir;
  final RunningServer running;
  final Pipeline p;
  final Http http;
  final SigningCertificate signer;

  SwupdateFleet(Path dir) {
    this.dir = dir;
    running =
        new RunningServer(
            dir.resolve("data"),
            Optional.empty(),
            Clock.tick(Clock.systemUTC(), Duration.ofMillis(1)),
            config ->
                config.ddi(
                    DdiConfig.builder().polling(Duration.ofSeconds(1), Duration.ZERO).build()));
    p = running.pipeline.certifiers(2);
    http = p.http;
    Http.Response product = p.createProduct(PRODUCT, 2, 1 << 20);
    assertThat(product.status()).as(product.text()).isEqualTo(201);
    Tuf.init(p, Tuf.rootKeys(3));
    signer = SigningCertificate.generate(dir.resolve("signer"), "sluice e2e");
  }

  /** An image for hardware rev1 whose one payload the rawfile handler writes to {@code target}. */
  SwuImage image(String version, byte[] payload, Path target) {
    return SwuImage.builder()
        .version(version)
        .hardwareCompatibility("rev1")
        .rawFile("payload.bin", payload, target)
        .build(signer);
  }

  /** Certifies and publishes {@code image} as release {@code version}; returns the release id. */
  String publish(String version, SwuImage image) {
    String id = Tuf.certified(p, PRODUCT, version, Map.of(ARTIFACT, image.bytes()));
    Http.Response published = Tuf.publish(p, id);
    assertThat(published.status()).as(published.text()).isEqualTo(200);
    return id;
  }

  /**
   * Overwrites the stored content of a published artifact with other bytes of the same length, as a
   * failing disk would: the server then serves bytes that are not what was certified and signed.
   */
  void corruptStoredArtifact(byte[] stored, byte[] corrupted) {
    assertThat(corrupted).hasSameSizeAs(stored).isNotEqualTo(stored);
    Path blob =
        new FileBlobStore(running.dataDir.resolve("blobs"))
            .localPath(Sha256.of(stored))
            .orElseThrow();
    try {
      Files.setPosixFilePermissions(blob, PosixFilePermissions.fromString("rw-r--r--"));
      Files.write(blob, corrupted);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Registers a device of the product through the devices API; returns its target token. */
  String register(String controllerId, String... tags) {
    ObjectNode body = Http.object().put("controller_id", controllerId).put("product", PRODUCT);
    var list = body.putArray("tags");
    for (String tag : tags) {
      list.add(tag);
    }
    Http.Response r = http.post("/api/v1/devices", p.adminToken, body);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("token").asText();
  }

  /** Creates and starts a rollout from {@code spec}; returns its id. */
  String startRollout(ObjectNode spec) {
    Http.Response created = http.post("/api/v1/rollouts", p.adminToken, spec);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id = created.json().get("id").asText();
    Http.Response started =
        http.postBytes(
            "/api/v1/rollouts/" + id + "/start", p.adminToken, new byte[0], "application/json");
    assertThat(started.status()).as(started.text()).isEqualTo(200);
    assertThat(started.json().get("state").asText()).isEqualTo("running");
    return id;
  }

  /** One run of the rollout evaluator (the server also runs it every few seconds). */
  void evaluateRollouts() {
    running.server.rollouts().runOnce();
  }

  JsonNode rollout(String id) {
    Http.Response r = http.get("/api/v1/rollouts/" + id, p.adminToken);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  JsonNode device(String controllerId) {
    Http.Response r = http.get("/api/v1/devices/" + controllerId, p.adminToken);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  /** The device's actions, newest first. */
  List<JsonNode> actions(String controllerId) {
    Http.Response r = http.get("/api/v1/devices/" + controllerId + "/actions", p.adminToken);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    r.json().get("actions").forEach(out::add);
    return out;
  }

  /** The device's only action. */
  JsonNode action(String controllerId) {
    List<JsonNode> actions = actions(controllerId);
    assertThat(actions).as("actions of %s", controllerId).hasSize(1);
    return actions.getFirst();
  }

  Http.Response cancelAction(long actionId, String reason) {
    return http.post(
        "/api/v1/actions/" + actionId + "/cancel",
        p.adminToken,
        Http.object().put("reason", reason));
  }

  /** A DDI poll as the device would make it (this does not change anything on the server). */
  JsonNode poll(String controllerId, String token) {
    HttpRequest request =
        http.request("/" + DdiConfig.DEFAULT_TENANT + "/controller/v1/" + controllerId, null)
            .header("Authorization", "TargetToken " + token)
            .GET()
            .build();
    Http.Response r = http.send(request);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  /** Settings for a swupdate daemon acting as the device, working in {@code <dir>/<id>}. */
  SwupdateProcess.Settings settings(
      String controllerId, String token, Map<String, String> identify) {
    return new SwupdateProcess.Settings(
        running.server.baseUri(),
        DdiConfig.DEFAULT_TENANT,
        controllerId,
        token,
        signer,
        HARDWARE,
        workDir(controllerId),
        identify);
  }

  /** The device's directory: swupdate's logs and sockets, and where images install to. */
  Path workDir(String controllerId) {
    try {
      return Files.createDirectories(dir.resolve(controllerId));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    running.close();
  }
}
