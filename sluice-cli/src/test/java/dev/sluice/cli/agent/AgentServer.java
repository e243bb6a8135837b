package dev.sluice.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.agent.AgentConfig;
import dev.sluice.agent.StateDir;
import dev.sluice.agent.UpdatePolicy;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.Tuf;
import dev.sluice.store.blob.FileBlobStore;
import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A real Sluice server for agent tests: two certifiers, a product with threshold 2, an offline TUF
 * root, and helpers to publish releases, register devices and assign releases to them.
 */
final class AgentServer implements AutoCloseable {
  static final String PRODUCT = "acme-phone";

  final RunningServer running;
  final Pipeline p;
  final byte[] root;
  final String logKey;
  final Map<String, String> releases = new LinkedHashMap<>();

  AgentServer(Path dataDir) {
    running = new RunningServer(dataDir);
    p = running.pipeline.certifiers(2);
    assertThat(p.createProduct(PRODUCT, 2, 1 << 22).status()).isEqualTo(201);
    root = Tuf.init(p, Tuf.rootKeys(3));
    logKey = p.http.get("/log/v1/key", null).text().strip();
  }

  private int minor;

  /**
   * A version newer than every one published so far ({@code 3.N.0-label}): the default standards
   * block a release that is not newer than the product's last one.
   */
  synchronized String nextVersion(String label) {
    return "3." + (++minor) + ".0-" + label;
  }

  URI uri() {
    return p.http.base();
  }

  /** The single artifact of a release, generated from its version. */
  static byte[] image(String version, int size) {
    return Pipeline.generated("agent-image-" + version, size);
  }

  /** Publishes a release with one artifact {@code system.img} and returns its id. */
  String publish(String version, byte[] image) {
    Map<String, byte[]> files = Map.of("system.img", image);
    String id = Tuf.certified(p, PRODUCT, version, files);
    Http.Response published = Tuf.publish(p, id);
    assertThat(published.status()).as(published.text()).isEqualTo(200);
    releases.put(version, id);
    return id;
  }

  String publish(String version) {
    return publish(version, image(version, 48 * 1024));
  }

  /** Registers a device of the product with a known target token. */
  String device(String id) {
    String token = "agent-token-" + id + "-" + System.nanoTime();
    ObjectNode body = Http.object();
    body.put("controller_id", id);
    body.put("product", PRODUCT);
    body.put("token", token);
    Http.Response r = p.http.post("/api/v1/devices", p.adminToken, body);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return token;
  }

  /** Assigns a release to a device (a forced action, success = running version). */
  String assign(String device, String releaseId) {
    ObjectNode body = Http.object();
    body.put("release_id", releaseId);
    body.put("type", "forced");
    Http.Response r = p.http.post("/api/v1/devices/" + device + "/actions", p.adminToken, body);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  /** The device's action as the management API shows it. */
  JsonNode action(String device, String actionId) {
    Http.Response r = p.http.get("/api/v1/devices/" + device + "/actions", p.adminToken);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    for (JsonNode a : r.json().path("actions")) {
      if (a.path("id").asText().equals(actionId)) {
        return a;
      }
    }
    throw new AssertionError("no action " + actionId + " in " + r.text());
  }

  void revoke(String releaseId, String reason) {
    Http.Response r =
        p.http.post(
            "/api/v1/releases/" + releaseId + "/revoke",
            p.adminToken,
            Http.object().put("reason", reason));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
  }

  /**
   * Offers a release to the device behind the server's back, as a compromised server, or one
   * restored from a backup older than a revocation, could: an action written straight into its
   * database (the server itself withdraws a revoked release and never offers it). The server's
   * change feed is read at once, so its next poll answer shows the action.
   *
   * @return the action's id
   */
  String offerBehindTheServersBack(String device, String releaseId) {
    long id;
    try (dev.sluice.store.db.Database db =
        dev.sluice.store.db.Database.open(
            "jdbc:sqlite:" + running.dataDir.toAbsolutePath().resolve("sluice.db"))) {
      id =
          new dev.sluice.store.jdbi.JdbiTransactions(db)
              .write(
                  repos -> {
                    var controller = new dev.sluice.core.device.ControllerId(device);
                    var action =
                        repos
                            .actions()
                            .insert(
                                new dev.sluice.core.action.NewAction(
                                    controller,
                                    new dev.sluice.core.release.ReleaseId(releaseId),
                                    Optional.empty(),
                                    0,
                                    dev.sluice.core.action.ActionType.FORCED,
                                    Optional.empty(),
                                    Optional.empty(),
                                    dev.sluice.core.action.ConfirmationPolicy.DDI_SUCCESS,
                                    1),
                                java.time.Instant.now());
                    repos.deviceChanges().record(controller, java.time.Instant.now());
                    return action.id().value();
                  });
    }
    running.server.ddi().changes().runOnce();
    return Long.toString(id);
  }

  /** Overwrites the stored artifact on disk after publication (same size, other bytes). */
  void corruptStoredArtifact(byte[] stored) {
    byte[] corrupted = stored.clone();
    corrupted[corrupted.length / 2] ^= 0x5a;
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

  /** A state directory for a device, as {@code sluice agent init} writes it. */
  StateDir state(Path dir, String device, String token, AgentSettings settings) {
    return state(dir, device, token, settings, uri());
  }

  /** As {@link #state(Path, String, String, AgentSettings)}, talking to {@code through}. */
  StateDir state(Path dir, String device, String token, AgentSettings settings, URI through) {
    return StateDir.init(
        dir,
        new AgentConfig(
            through,
            "DEFAULT",
            device,
            settings.product(),
            dir.toAbsolutePath().resolve("slots"),
            Optional.empty(),
            settings.policy(),
            settings.healthCommand(),
            settings.maxBootTries(),
            Optional.empty()),
        root,
        logKey,
        token);
  }

  /** The settings a test varies. */
  record AgentSettings(
      UpdatePolicy policy,
      Optional<String> healthCommand,
      int maxBootTries,
      Optional<String> product) {
    static AgentSettings healthy() {
      return new AgentSettings(
          UpdatePolicy.parse("auto"), Optional.of("true"), 3, Optional.empty());
    }

    AgentSettings withPolicy(String policy) {
      return new AgentSettings(UpdatePolicy.parse(policy), healthCommand, maxBootTries, product);
    }

    AgentSettings withHealth(Optional<String> command, int tries) {
      return new AgentSettings(policy, command, tries, product);
    }

    AgentSettings withProduct(String name) {
      return new AgentSettings(policy, healthCommand, maxBootTries, Optional.of(name));
    }
  }

  @Override
  public void close() {
    running.close();
  }
}
