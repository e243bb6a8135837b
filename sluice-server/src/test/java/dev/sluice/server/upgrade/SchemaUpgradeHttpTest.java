package dev.sluice.server.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.standards.DefaultStandards;
import dev.sluice.core.standards.StandardsJson;
import dev.sluice.core.standards.StandardsSet;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.store.blob.FileBlobStore;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Old data keeps working (issue 10, item 12): a SQLite database is built at every earlier schema
 * version N by migrating step by step to N and inserting, at each version, representative rows with
 * that version's SQL (products, certifiers and keys, releases in every state with check reports in
 * the format of the time, sign-offs, audit events, tokens; devices, attributes and tags from V4;
 * actions, feedback and legacy digests from V5). Then a current server migrates it and every record
 * is read through the API without a 500.
 */
class SchemaUpgradeHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_SECRET = "sluice_" + "u".repeat(43);
  private static final long T = 1_767_225_600_000L;
  private static final String[] STATES = {
    "draft", "checked", "blocked", "certified", "published", "revoked"
  };

  @TempDir Path dataDir;

  @ParameterizedTest(name = "from schema V{0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
  void aDatabaseFromAnEarlierSchemaMigratesAndEverythingReadsWithoutError(int version)
      throws Exception {
    String url = "jdbc:sqlite:" + dataDir.resolve("sluice.db");
    Map<String, byte[]> files = Pipeline.artifacts("upgrade");
    FileBlobStore blobs = new FileBlobStore(dataDir.resolve("blobs"));
    for (byte[] content : files.values()) {
      blobs.put(new ByteArrayInputStream(content), 1 << 20, Optional.empty());
    }
    for (int v = 1; v <= version; v++) {
      Flyway.configure()
          .dataSource(url, null, null)
          .locations("classpath:db/migration/sqlite")
          .target(Integer.toString(v))
          .load()
          .migrate();
      int at = v;
      Jdbi.create(url).useHandle(h -> rowsOfVersion(h, at, files));
    }

    try (SluiceServer server = SluiceServer.start(ServerConfig.builder(dataDir).port(0).build())) {
      assertThat(server.bootstrapAdminToken()).isEmpty();
      Http http = new Http(server.baseUri());
      List<String> paths = new java.util.ArrayList<>();
      paths.addAll(
          List.of(
              "/api/v1/products",
              "/api/v1/products/acme-phone",
              "/api/v1/certifiers",
              "/api/v1/releases",
              "/api/v1/releases?state=checked",
              "/api/v1/audit?limit=100",
              "/api/v1/tuf/status",
              "/api/v1/whoami"));
      for (String state : STATES) {
        String id = releaseId(state);
        paths.add("/api/v1/releases/" + id);
        paths.add("/api/v1/releases/" + id + "/manifest");
        paths.add("/api/v1/releases/" + id + "/signoffs");
        paths.add("/api/v1/releases/" + id + "/artifacts/system.img");
        if (!state.equals("draft")) {
          paths.add("/api/v1/releases/" + id + "/report");
          paths.add("/api/v1/releases/" + id + "/statement");
        }
      }
      if (version >= 4) {
        paths.addAll(
            List.of(
                "/api/v1/devices",
                "/api/v1/devices/phone-0001",
                "/api/v1/devices/phone-0002",
                "/api/v1/devices?filter=attribute.board==b1"));
      }
      if (version >= 5) {
        paths.add("/api/v1/devices/phone-0001/actions");
      }
      for (String path : paths) {
        Http.Response response = http.get(path, ADMIN_SECRET);
        assertThat(response.status())
            .as("GET %s after migrating from V%d: %s", path, version, response.text())
            .isLessThan(500)
            .isNotIn(401, 403);
      }
      JsonNode checked = http.get("/api/v1/releases/" + releaseId("checked"), ADMIN_SECRET).json();
      assertThat(checked.get("state").asText()).isEqualTo("checked");
      assertThat(
              http.get("/api/v1/releases/" + releaseId("checked") + "/report", ADMIN_SECRET)
                  .status())
          .isEqualTo(200);
      assertThat(
              http.get(
                      "/api/v1/releases/" + releaseId("draft") + "/artifacts/system.img",
                      ADMIN_SECRET)
                  .body())
          .isEqualTo(files.get("system.img"));
    }
  }

  private static String releaseId(String state) {
    // rel_ and 26 characters of Crockford base32; one per state.
    int index = List.of(STATES).indexOf(state);
    return "rel_01KVPGRADE" + "0".repeat(15) + "ABCDEF".charAt(index);
  }

  private static void rowsOfVersion(Handle h, int version, Map<String, byte[]> files)
      throws Exception {
    switch (version) {
      case 1 -> v1Rows(h, files);
      case 4 -> v4Rows(h);
      case 5 -> v5Rows(h, files);
      default -> {
        // V2 (log), V3 (publications), V6 (rollouts), V7 (offline keys), V8 (change feed): the
        // server fills these tables itself; no release of that time wrote them without the server.
      }
    }
  }

  private static void v1Rows(Handle h, Map<String, byte[]> files) throws Exception {
    VerificationKey key = TestKeys.ed25519().verificationKey();
    h.execute(
        "INSERT INTO certifiers (id, display_name, created_at) VALUES ('lab-a', 'Lab A', ?)", T);
    h.execute(
        "INSERT INTO certifier_keys (key_id, certifier_id, key_json, position, added_at)"
            + " VALUES (?, 'lab-a', ?, 0, ?)",
        key.keyId(),
        JSON.writeValueAsString(key.toTufJson()),
        T);
    h.execute(
        "INSERT INTO products (name, description, threshold, max_artifact_size, created_at)"
            + " VALUES ('acme-phone', 'Acme phones', 1, 1048576, ?)",
        T);
    StandardsSet standards = new StandardsSet("acme-phone", 1, DefaultStandards.get().standards());
    h.execute(
        "INSERT INTO product_standards (product, version, set_json, created_at)"
            + " VALUES ('acme-phone', 1, ?, ?)",
        JSON.writeValueAsString(StandardsJson.toJson(standards)),
        T);
    h.execute(
        "INSERT INTO product_certifiers (product, certifier_id, position)"
            + " VALUES ('acme-phone', 'lab-a', 0)");
    h.execute(
        "INSERT INTO api_tokens (token_sha256, role, certifier_id, label, created_at)"
            + " VALUES (?, 'admin', NULL, 'admin', ?)",
        Sha256.of(ADMIN_SECRET.getBytes(StandardCharsets.US_ASCII)).hex(),
        T);
    int n = 0;
    for (String state : STATES) {
      n++;
      String id = releaseId(state);
      String version = "1." + n + ".0";
      byte[] manifest = v1Manifest(version, files);
      boolean checkedOnce = !state.equals("draft");
      String report = v1Report(state.equals("blocked"));
      h.execute(
          "INSERT INTO releases (id, product, version, state, manifest_json, manifest_sha256,"
              + " created_by, created_at, updated_at, standards_version, report_json,"
              + " report_sha256, statement_sha256, checked_at)"
              + " VALUES (?, 'acme-phone', ?, ?, ?, ?, 'admin', ?, ?, ?, ?, ?, ?, ?)",
          id,
          version,
          state,
          new String(manifest, StandardCharsets.UTF_8),
          Sha256.of(manifest).hex(),
          T + n,
          T + n,
          checkedOnce ? 1 : null,
          checkedOnce ? report : null,
          checkedOnce ? Sha256.of(report.getBytes(StandardCharsets.UTF_8)).hex() : null,
          checkedOnce
              ? Sha256.of(("statement " + id).getBytes(StandardCharsets.UTF_8)).hex()
              : null,
          checkedOnce ? T + n : null);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        h.execute(
            "INSERT INTO release_artifacts (release_id, name, sha256, size, uploaded_at)"
                + " VALUES (?, ?, ?, ?, ?)",
            id,
            f.getKey(),
            Sha256.of(f.getValue()).hex(),
            f.getValue().length,
            T + n);
      }
      if (List.of("certified", "published", "revoked").contains(state)) {
        h.execute(
            "INSERT INTO signoffs (release_id, certifier_id, key_id, decision, reason,"
                + " statement_sha256, signature, signed_at)"
                + " VALUES (?, 'lab-a', ?, 'approve', NULL, ?, 'c2lnbmF0dXJl', ?)",
            id,
            key.keyId(),
            Sha256.of(("statement " + id).getBytes(StandardCharsets.UTF_8)).hex(),
            T + n);
      }
      h.execute(
          "INSERT INTO audit_events (at, actor, action, subject, detail_json)"
              + " VALUES (?, 'admin', 'release.created', ?, ?)",
          T + n,
          "release/" + id,
          "{\"version\":\"" + version + "\"}");
    }
  }

  private static void v4Rows(Handle h) {
    for (int i = 1; i <= 2; i++) {
      String device = "phone-000" + i;
      h.execute(
          "INSERT INTO devices (controller_id, product, token_sha256, installed_version,"
              + " version_key, installed_release, status, registered_at, updated_at, last_seen)"
              + " VALUES (?, 'acme-phone', ?, NULL, NULL, NULL, 'unknown', ?, ?, ?)",
          device,
          Sha256.of(("device token " + i).getBytes(StandardCharsets.US_ASCII)).hex(),
          T,
          T,
          T + i);
      h.execute(
          "INSERT INTO device_attributes (controller_id, name, value) VALUES (?, 'board', 'b1')",
          device);
      h.execute("INSERT INTO device_tags (controller_id, tag) VALUES (?, 'canary')", device);
    }
  }

  private static void v5Rows(Handle h, Map<String, byte[]> files) {
    String published = releaseId("published");
    h.execute(
        "INSERT INTO actions (device_id, release_id, rollout_id, stage, type, forced_at,"
            + " window_schedule, window_duration_ms, window_zone, confirmation, attempt, status,"
            + " created_at, updated_at, last_message)"
            + " VALUES ('phone-0001', ?, NULL, 0, 'forced', NULL, NULL, NULL, NULL, 'running_version', 1,"
            + " 'succeeded', ?, ?, 'installed')",
        published,
        T,
        T + 10);
    h.execute(
        "INSERT INTO actions (device_id, release_id, rollout_id, stage, type, forced_at,"
            + " window_schedule, window_duration_ms, window_zone, confirmation, attempt, status,"
            + " created_at, updated_at, last_message)"
            + " VALUES ('phone-0002', ?, NULL, 0, 'soft', NULL, NULL, NULL, NULL, 'running_version', 1,"
            + " 'offered', ?, ?, NULL)",
        published,
        T,
        T);
    h.execute(
        "INSERT INTO action_feedback (action_id, at, execution, result, body)"
            + " SELECT id, ?, 'closed', 'success', '{\"status\":{\"execution\":\"closed\"}}'"
            + " FROM actions WHERE device_id = 'phone-0001'",
        T + 10);
    byte[] system = files.get("system.img");
    h.execute(
        "INSERT INTO artifact_hashes (sha256, sha1, md5) VALUES (?, ?, ?)",
        Sha256.of(system).hex(),
        "0".repeat(40),
        "0".repeat(32));
  }

  /** A manifest as Sluice accepted it before v2: artifacts by name only. */
  private static byte[] v1Manifest(String version, Map<String, byte[]> files) throws Exception {
    ObjectNode m =
        (ObjectNode)
            JSON.readTree(Pipeline.manifest("acme-phone", version, new LinkedHashMap<>(files)));
    m.put("schema", "sluice.release-manifest/v1");
    ArrayNode artifacts = m.putArray("artifacts");
    files.keySet().forEach(name -> artifacts.addObject().put("name", name));
    m.remove("provenance");
    return JSON.writeValueAsBytes(m);
  }

  /** A check report in the format of schema V1: standards_set_id and standards_version on top. */
  private static String v1Report(boolean blocked) throws Exception {
    ObjectNode r = JSON.createObjectNode();
    r.put("standards_set_id", "acme-phone");
    r.put("standards_version", 1);
    r.put("verdict", blocked ? "blocked" : "passed");
    ArrayNode results = r.putArray("results");
    results
        .addObject()
        .put("id", "sbom-present")
        .put("title", "An SBOM is embedded")
        .put("severity", "error")
        .put("outcome", blocked ? "fail" : "pass")
        .put("message", blocked ? "no SBOM" : "the manifest embeds an SBOM")
        .putArray("offenders");
    return JSON.writeValueAsString(r);
  }
}
