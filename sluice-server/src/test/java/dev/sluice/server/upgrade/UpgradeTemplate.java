package dev.sluice.server.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.SimulatedDevice;
import dev.sluice.server.testing.Tuf;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a Sluice data directory holds, made once by the current server through its API: a
 * product with a TUF root and a policy that changed, releases in every state (published, revoked,
 * certified, checked, blocked with a status note, draft), devices with attributes (configData) and
 * tags, a staged rollout whose devices reported success and failure, a direct assignment in
 * progress, tokens (one revoked, one expiring), a decommissioned device and DDI client settings.
 * The test copies its rows into databases at earlier schema versions and expects the same answers
 * after the upgrade.
 */
final class UpgradeTemplate {
  static final String PRODUCT = "acme-phone";
  static final List<String> DEVICES = List.of("tmpl-0", "tmpl-1", "tmpl-2", "tmpl-3");

  final Path dataDir;
  final String admin;
  final String operator;
  final String revokedToken;
  final String expiringToken;
  final byte[] root1;
  final Map<String, String> releases = new LinkedHashMap<>();
  final Map<String, Map<String, byte[]>> files = new LinkedHashMap<>();
  final Map<String, String> deviceTokens = new LinkedHashMap<>();
  final String rollout;
  final String decommissioned = "tmpl-2";

  /** What the template server answered, by path (as admin), to compare after the upgrade. */
  final Map<String, JsonNode> answers = new LinkedHashMap<>();

  final long treeSize;
  final long publishedIndex;

  UpgradeTemplate(Path dataDir) {
    this.dataDir = dataDir;
    try (RunningServer running = new RunningServer(dataDir)) {
      Pipeline p = running.pipeline.certifiers(2);
      Http http = p.http;
      admin = p.adminToken;
      assertThat(p.createProduct(PRODUCT, 2, 1 << 20).status()).isEqualTo(201);
      root1 = Tuf.init(p, Tuf.rootKeys(3));

      String revoked = certified(p, "revoked", "0.9.0");
      assertThat(Tuf.publish(p, revoked).status()).isEqualTo(200);
      Http.Response revocation =
          http.post(
              "/api/v1/releases/" + revoked + "/revoke",
              admin,
              Http.object().put("reason", "recalled: battery drain"));
      assertThat(revocation.status()).as(revocation.text()).isEqualTo(200);
      String published = certified(p, "published", "1.0.0");
      Http.Response publication = Tuf.publish(p, published);
      assertThat(publication.status()).as(publication.text()).isEqualTo(200);
      publishedIndex = publication.json().get("log_index").asLong();
      changePolicy(p);
      // Under the new policy one approval certifies.
      String certified = draft(p, "certified", "1.1.0", false);
      assertThat(p.check(certified).json().get("state").asText()).isEqualTo("checked");
      assertThat(p.approve(certified, "lab-2").status()).isEqualTo(201);
      assertThat(p.release(certified).get("state").asText()).isEqualTo("certified");
      String checked = draft(p, "checked", "1.2.0", false);
      assertThat(p.check(checked).json().get("state").asText()).isEqualTo("checked");
      String blocked = draft(p, "blocked", "1.3.0", true);
      assertThat(p.check(blocked).json().get("state").asText()).isEqualTo("blocked");
      ObjectNode note = Http.object().put("text", "Held back: it calls an undeclared server.");
      note.put("target_date", "2027-02-01");
      assertThat(
              http.put(
                      "/api/v1/releases/" + blocked + "/status-note",
                      admin,
                      note.toString().getBytes(StandardCharsets.UTF_8),
                      Map.of("Content-Type", "application/json"))
                  .status())
          .isEqualTo(200);
      draft(p, "draft", "1.4.0", false);

      operator = p.token("operator", "ops", null);
      p.token("auditor", "audit", null);
      p.token("release-manager", "releases", null);
      Http.Response toRevoke =
          http.post(
              "/api/v1/tokens", admin, Http.object().put("role", "auditor").put("label", "gone"));
      revokedToken = toRevoke.json().get("token").asText();
      assertThat(
              http.post(
                      "/api/v1/tokens/" + toRevoke.json().get("id").asText() + "/revoke",
                      admin,
                      Http.object().put("reason", "left the team"))
                  .status())
          .isEqualTo(200);
      Http.Response expiring =
          http.post(
              "/api/v1/tokens",
              admin,
              Http.object()
                  .put("role", "auditor")
                  .put("label", "contractor")
                  .put(
                      "expires_at",
                      java.time.Instant.now()
                          .plus(java.time.Duration.ofDays(90))
                          .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                          .toString()));
      assertThat(expiring.status()).as(expiring.text()).isEqualTo(201);
      expiringToken = expiring.json().get("token").asText();

      List<SimulatedDevice> devices = new java.util.ArrayList<>();
      for (String id : DEVICES) {
        ObjectNode body = Http.object().put("controller_id", id).put("product", PRODUCT);
        body.putArray("tags").add(id.equals("tmpl-3") ? "lab" : "beta");
        Http.Response r = http.post("/api/v1/devices", operator, body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        String token = r.json().get("token").asText();
        deviceTokens.put(id, token);
        SimulatedDevice device = new SimulatedDevice(http, id, token);
        devices.add(device);
        Http.Response identified = device.configData(Map.of("board", "b1", "sw_version", "0.1"));
        assertThat(identified.status()).as(identified.text()).isEqualTo(200);
      }
      ObjectNode request = Http.object().put("release", published).put("filter", "tag==beta");
      request.putArray("stages").add(34).add(100);
      request.put("confirmation", "ddi-success");
      Http.Response created = http.post("/api/v1/rollouts", operator, request);
      assertThat(created.status()).as(created.text()).isEqualTo(201);
      rollout = created.json().get("id").asText();
      Http.Response started =
          http.postBytes(
              "/api/v1/rollouts/" + rollout + "/start", operator, new byte[0], "application/json");
      assertThat(started.status()).as(started.text()).isEqualTo(200);
      running.server.rollouts().runOnce();
      List<SimulatedDevice> offered =
          devices.stream().filter(d -> d.offeredAction().isPresent()).toList();
      assertThat(offered).isNotEmpty();
      offered.getFirst().install("success");
      for (SimulatedDevice d : offered.subList(1, offered.size())) {
        d.install("failure");
      }
      running.server.rollouts().runOnce();
      ObjectNode assignment = Http.object().put("release_id", published).put("type", "soft");
      Http.Response assigned = http.post("/api/v1/devices/tmpl-3/actions", operator, assignment);
      assertThat(assigned.status()).as(assigned.text()).isEqualTo(201);
      SimulatedDevice lab = devices.get(3);
      String action = lab.offeredAction().orElseThrow();
      lab.fetch(action);
      lab.feedback(action, "proceeding", "none");
      assertThat(
              http.post("/api/v1/devices/" + decommissioned + "/decommission", admin, Http.object())
                  .status())
          .isEqualTo(200);

      // DDI client settings (V12): the chunk part a Zephyr client needs, owners' consent.
      Http.Response ddi =
          http.putJson(
              "/api/v1/products/" + PRODUCT + "/ddi",
              admin,
              Http.object().put("part", "bApp").put("consent", true));
      assertThat(ddi.status()).as(ddi.text()).isEqualTo(200);
      running.server.ddi().lastSeen().runOnce();
      running.server.transparencyLog().sequencer().runOnce();
      treeSize = running.server.transparencyLog().latestCheckpoint().size();
      for (String path : paths()) {
        Http.Response r = http.get(path, admin);
        assertThat(r.status()).as("template GET %s: %s", path, r.text()).isEqualTo(200);
        answers.put(path, r.json());
      }
      answers.put(inclusionPath(), http.get(inclusionPath(), null).json());
    }
  }

  /** The inclusion proof of the published release in the template's last checkpoint. */
  String inclusionPath() {
    return "/log/v1/inclusion?index=" + publishedIndex + "&tree_size=" + treeSize;
  }

  /** The paths whose answers are compared after the upgrade. */
  List<String> paths() {
    List<String> paths = new java.util.ArrayList<>();
    paths.add("/api/v1/products/" + PRODUCT);
    paths.add("/api/v1/products/" + PRODUCT + "/ddi");
    paths.add("/api/v1/public/products/" + PRODUCT + "/policies");
    paths.add("/api/v1/audit?limit=1000");
    for (String id : releases.values()) {
      paths.add("/api/v1/releases/" + id);
      paths.add("/api/v1/releases/" + id + "/signoffs");
    }
    paths.add("/api/v1/rollouts/" + rollout);
    for (String device : DEVICES) {
      paths.add("/api/v1/devices/" + device);
      paths.add("/api/v1/devices/" + device + "/actions");
    }
    return paths;
  }

  private String certified(Pipeline p, String label, String version) {
    Map<String, byte[]> content = Pipeline.artifacts("upgrade-" + label);
    String id = Tuf.certified(p, PRODUCT, version, content);
    releases.put(label, id);
    files.put(label, content);
    return id;
  }

  private String draft(Pipeline p, String label, String version, boolean breaking) {
    Map<String, byte[]> content = Pipeline.artifacts("upgrade-" + label);
    byte[] manifest =
        breaking
            ? Pipeline.breakingManifest(PRODUCT, version, content)
            : Pipeline.manifest(PRODUCT, version, content);
    String id = p.draft(PRODUCT, version, manifest, content);
    releases.put(label, id);
    files.put(label, content);
    return id;
  }

  /** Lowers the threshold to 1, signed by both certifiers under the current policy. */
  private static void changePolicy(Pipeline p) {
    ObjectNode proposal = Http.object().put("threshold", 1);
    proposal.putArray("certifiers").add("lab-1").add("lab-2");
    String base = "/api/v1/products/" + PRODUCT + "/policy/pending";
    assertThat(p.http.post(base, p.adminToken, proposal).status()).isEqualTo(201);
    for (String certifier : List.of("lab-1", "lab-2")) {
      byte[] statement = p.http.get(base + "/statement", p.adminToken).body();
      SigningKey key = p.certifierKeys.get(certifier);
      ObjectNode body = Http.object().put("certifier", certifier).put("key_id", key.keyId());
      body.put("signature", Base64.getEncoder().encodeToString(key.sign(statement)));
      body.put("statement_sha256", Sha256.of(statement).hex());
      Http.Response signed = p.http.post(base + "/signatures", p.adminToken, body);
      assertThat(signed.status()).as(signed.text()).isIn(200, 201);
    }
  }
}
