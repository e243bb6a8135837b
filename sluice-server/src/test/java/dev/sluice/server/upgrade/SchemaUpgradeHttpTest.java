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
import dev.sluice.server.testing.Tuf;
import dev.sluice.store.blob.FileBlobStore;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.testing.TestKeys;
import dev.sluice.trust.tuf.InMemoryTrustedStore;
import dev.sluice.trust.tuf.TargetInfo;
import dev.sluice.trust.tuf.TufUpdater;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Old data keeps working (issue 10, item 12). A database is built at every earlier schema version N
 * (V1 to the one before the latest; SQLite, and PostgreSQL when {@code SLUICE_TEST_PG_URL} is set)
 * by migrating step by step to N, with two kinds of rows: hand-written rows in the formats of the
 * first versions (a release manifest without digests, a V1 check report, sign-offs, devices,
 * actions, feedback and legacy digests, inserted with the SQL of V1, V4 and V5), and everything a
 * current server writes ({@link UpgradeTemplate}: published and revoked releases with their log
 * entries, checkpoints and TUF metadata, a changed policy, a staged rollout with device feedback,
 * tokens, a status note, a decommissioned device), copied into the tables and columns schema N has
 * ({@link RowCopy}). A current server then migrates the database and must give the template's
 * answers for everything schema N could hold, serve and verify the TUF repository and log, and keep
 * working (publish, authenticate, serve devices). One template serves every version; each version
 * needs its own server, since a server migrates its database when it starts. The SQLite databases
 * of every earlier version are built once, by one database migrated a version at a time and copied
 * at each (the hand-written rows go in at V1, V4 and V5 on the way); each case copies its version's
 * file. A PostgreSQL schema cannot be copied, so each PostgreSQL case migrates its own.
 */
class SchemaUpgradeHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_SECRET = "sluice_" + "u".repeat(43);
  private static final String LEGACY = "legacy-phone";
  private static final long T = 1_767_225_600_000L;
  private static final String[] STATES = {
    "draft", "checked", "blocked", "certified", "published", "revoked"
  };

  @TempDir static Path shared;
  static UpgradeTemplate template;
  static Map<String, byte[]> legacyFiles;

  /** A SQLite database at each earlier schema version, with the hand-written rows of its time. */
  static final Map<Integer, Path> sqliteAtVersion = new java.util.TreeMap<>();

  @TempDir Path dataDir;

  @BeforeAll
  static void buildTemplate() throws Exception {
    template = new UpgradeTemplate(shared.resolve("template"));
    legacyFiles = Pipeline.artifacts("upgrade");
    Path migrating = shared.resolve("migrating.db");
    String url = "jdbc:sqlite:" + migrating;
    for (int v = 1; v < latestVersion(); v++) {
      migrateTo(url, "sqlite", v, legacyFiles, false);
      Path copy = shared.resolve("V" + v + ".db");
      Files.copy(migrating, copy);
      sqliteAtVersion.put(v, copy);
    }
  }

  /**
   * Migrates {@code url} to schema V{version}, then inserts the hand-written rows of that version.
   */
  private static void migrateTo(
      String url, String dialect, int version, Map<String, byte[]> files, boolean postgres)
      throws Exception {
    Flyway.configure()
        .dataSource(url, null, null)
        .locations("classpath:db/migration/" + dialect)
        .target(Integer.toString(version))
        .load()
        .migrate();
    Jdbi.create(url).useHandle(h -> rowsOfVersion(h, version, files, postgres));
  }

  private static int latestVersion() {
    return java.util.Arrays.stream(
            Flyway.configure()
                .dataSource("jdbc:sqlite::memory:", null, null)
                .locations("classpath:db/migration/sqlite")
                .load()
                .info()
                .all())
        .mapToInt(m -> Integer.parseInt(m.getVersion().getVersion()))
        .max()
        .orElseThrow();
  }

  /** Every schema version before the latest one, on both databases. */
  static Stream<Arguments> versions() {
    int latest = latestVersion();
    Stream.Builder<Arguments> all = Stream.builder();
    for (String dialect : List.of("sqlite", "postgresql")) {
      for (int v = 1; v < latest; v++) {
        all.add(Arguments.of(v, dialect));
      }
    }
    return all.build();
  }

  @ParameterizedTest(name = "{1} from schema V{0}")
  @MethodSource("versions")
  void aDatabaseFromAnEarlierSchemaMigratesAndEverythingReadsAsBefore(int version, String dialect)
      throws Exception {
    boolean postgres = dialect.equals("postgresql");
    copyDataDirectory(template.dataDir, dataDir);
    keysAsFiles(template.dataDir.resolve("sluice.db"), dataDir.resolve("keys"));
    Map<String, byte[]> files = legacyFiles;
    FileBlobStore blobs = new FileBlobStore(dataDir.resolve("blobs"));
    for (byte[] content : files.values()) {
      blobs.put(new ByteArrayInputStream(content), 1 << 20, Optional.empty());
    }
    OldDatabase db = postgres ? OldDatabase.postgres() : OldDatabase.sqlite(dataDir);
    try {
      if (postgres) {
        // Migrating stops where hand-written rows go in (V1, V4, V5), then goes on to V{version}.
        java.util.SortedSet<Integer> stops = new java.util.TreeSet<>(List.of(1, 4, 5, version));
        for (int v : stops.headSet(version + 1)) {
          migrateTo(db.url, dialect, v, files, true);
        }
      } else {
        Files.copy(sqliteAtVersion.get(version), dataDir.resolve("sluice.db"));
      }
      RowCopy.copy("jdbc:sqlite:" + template.dataDir.resolve("sluice.db"), db.url);

      try (SluiceServer server =
          SluiceServer.start(
              ServerConfig.builder(dataDir)
                  .port(0)
                  .databaseUrl(postgres ? Optional.of(db.url) : Optional.empty())
                  .build())) {
        assertThat(server.bootstrapAdminToken()).isEmpty();
        Http http = new Http(server.baseUri());
        nothingAnswers500(http, version);
        legacyRowsRead(http, files);
        templateAnswersAreKept(http, version);
        theUpgradedServerKeepsWorking(http, version);
      }
    } finally {
      db.drop();
    }
  }

  private static void nothingAnswers500(Http http, int version) {
    List<String> paths = new java.util.ArrayList<>();
    paths.addAll(
        List.of(
            "/api/v1/products",
            "/api/v1/products/" + LEGACY,
            "/api/v1/certifiers",
            "/api/v1/releases",
            "/api/v1/releases?state=checked",
            "/api/v1/audit?limit=100",
            "/api/v1/tuf/status",
            "/api/v1/whoami",
            "/api/v1/tokens",
            "/api/v1/rollouts",
            "/api/v1/devices",
            "/api/v1/public/products",
            "/api/v1/public/releases",
            "/api/v1/public/certifiers",
            "/api/v1/public/log",
            "/log/checkpoint",
            "/",
            "/log",
            "/certifiers"));
    for (String state : STATES) {
      String id = releaseId(state);
      paths.add("/api/v1/releases/" + id);
      paths.add("/api/v1/releases/" + id + "/manifest");
      paths.add("/api/v1/releases/" + id + "/signoffs");
      paths.add("/api/v1/releases/" + id + "/artifacts/system.img");
      paths.add("/api/v1/public/releases/" + id);
      paths.add("/releases/" + id);
      if (!state.equals("draft")) {
        paths.add("/api/v1/releases/" + id + "/report");
        paths.add("/api/v1/releases/" + id + "/statement");
      }
    }
    for (String id : template.releases.values()) {
      paths.add("/api/v1/releases/" + id + "/report");
      paths.add("/api/v1/public/releases/" + id);
      paths.add("/releases/" + id);
    }
    if (version >= 4) {
      paths.addAll(
          List.of(
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
  }

  private static void legacyRowsRead(Http http, Map<String, byte[]> files) {
    JsonNode checked = http.get("/api/v1/releases/" + releaseId("checked"), ADMIN_SECRET).json();
    assertThat(checked.get("state").asText()).isEqualTo("checked");
    assertThat(
            http.get("/api/v1/releases/" + releaseId("checked") + "/report", ADMIN_SECRET).status())
        .isEqualTo(200);
    assertThat(
            http.get(
                    "/api/v1/releases/" + releaseId("draft") + "/artifacts/system.img",
                    ADMIN_SECRET)
                .body())
        .isEqualTo(files.get("system.img"));
  }

  /** Every answer of the template server, as far as schema V{version} could hold its data. */
  private static void templateAnswersAreKept(Http http, int version) {
    for (String path : template.paths()) {
      Http.Response r = http.get(path, template.admin);
      if (!heldAt(path, version)) {
        assertThat(r.status()).as("GET %s from V%d: %s", path, version, r.text()).isLessThan(500);
        continue;
      }
      assertThat(r.status()).as("GET %s from V%d: %s", path, version, r.text()).isEqualTo(200);
      if (path.startsWith("/api/v1/audit")) {
        // The trail goes on (the upgraded server audits too): every event of before is kept.
        assertThat(withoutSeq(r.json().get("events")))
            .as("the audit trail after migrating from V%d", version)
            .containsAll(withoutSeq(template.answers.get(path).get("events")));
        continue;
      }
      List<String> differences = new java.util.ArrayList<>();
      JsonDiff.differences("", template.answers.get(path), r.json(), differences);
      differences.removeIf(pointer -> lostBefore(pointer, version));
      assertThat(differences)
          .as("GET %s after migrating from V%d differs from before", path, version)
          .isEmpty();
    }
    for (Map.Entry<String, String> release : template.releases.entrySet()) {
      String base = "/api/v1/releases/" + release.getValue();
      for (Map.Entry<String, byte[]> file : template.files.get(release.getKey()).entrySet()) {
        assertThat(http.get(base + "/artifacts/" + file.getKey(), template.admin).body())
            .isEqualTo(file.getValue());
      }
    }
  }

  private static void theUpgradedServerKeepsWorking(Http http, int version) throws Exception {
    assertThat(http.get("/api/v1/whoami", template.operator).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/whoami", template.revokedToken).status()).isEqualTo(401);
    assertThat(http.get("/api/v1/whoami", template.expiringToken).status()).isEqualTo(200);
    if (version >= 2) {
      Http.Response checkpoint = http.get("/log/checkpoint", null);
      assertThat(checkpoint.status()).isEqualTo(200);
      assertThat(Long.parseLong(checkpoint.text().lines().skip(1).findFirst().orElseThrow()))
          .isGreaterThanOrEqualTo(template.treeSize);
      String inclusion = template.inclusionPath();
      assertThat(http.get(inclusion, null).json()).isEqualTo(template.answers.get(inclusion));
    }
    Http.Response publish =
        http.postBytes(
            "/api/v1/releases/" + template.releases.get("certified") + "/publish",
            template.admin,
            new byte[0],
            "application/json");
    if (version >= 3) {
      // The TUF repository of before, verified from its first root, and a new release on top.
      assertThat(publish.status()).as(publish.text()).isEqualTo(200);
      TufUpdater device =
          new TufUpdater(
              Clock.systemUTC(),
              Tuf.remote(http.base()),
              new InMemoryTrustedStore(),
              template.root1);
      device.refresh();
      for (String label : List.of("published", "certified")) {
        String version1 = label.equals("published") ? "1.0.0" : "1.1.0";
        TargetInfo target =
            device
                .targetInfo(UpgradeTemplate.PRODUCT + "/" + version1 + "/system.img")
                .orElseThrow();
        assertThat(device.download(target)).isEqualTo(template.files.get(label).get("system.img"));
      }
      assertThat(device.targetInfo(UpgradeTemplate.PRODUCT + "/0.9.0/system.img")).isEmpty();
    } else {
      // No TUF repository before V3: publishing waits for an operator to upload a root.
      assertThat(publish.status()).as(publish.text()).isEqualTo(409);
    }
    if (version >= 4) {
      for (String id : UpgradeTemplate.DEVICES) {
        int expected = id.equals(template.decommissioned) && version >= 11 ? 401 : 200;
        Http.Response poll =
            http.send(
                http.request("/DEFAULT/controller/v1/" + id, null)
                    .header("Authorization", "TargetToken " + template.deviceTokens.get(id))
                    .GET()
                    .build());
        assertThat(poll.status())
            .as("%s polls after the upgrade from V%d", id, version)
            .isEqualTo(expected);
      }
    }
  }

  private static List<JsonNode> withoutSeq(JsonNode events) {
    List<JsonNode> out = new java.util.ArrayList<>();
    for (JsonNode e : events) {
      ObjectNode copy = e.deepCopy();
      copy.remove("seq");
      out.add(copy);
    }
    return out;
  }

  /** Whether schema V{version} held what the path shows. */
  private static boolean heldAt(String path, int version) {
    if (path.endsWith("/ddi")) {
      return version >= 12;
    }
    if (path.startsWith("/api/v1/public/products/")) {
      return version >= 10;
    }
    if (path.startsWith("/api/v1/rollouts/")) {
      return version >= 6;
    }
    if (path.endsWith("/actions")) {
      return version >= 5;
    }
    if (path.startsWith("/api/v1/devices/")) {
      return version >= 4;
    }
    return true;
  }

  /** Fields a database of schema V{version} could not hold (they read as their defaults). */
  private static boolean lostBefore(String difference, int version) {
    // Before V10 no policy was logged: the upgraded server logs the product's rule as policy 1.
    return (version < 10 && difference.startsWith("/certification/policy_sequence "))
        // Before V11 a device could not be decommissioned.
        || (version < 11 && difference.equals("/decommissioned_at (missing)"));
  }

  /**
   * Writes the template's online keys as {@code DATA/keys/<name>.key}, where data directories kept
   * them before schema V14 moved them into the database (the sealed form is the key file's).
   */
  private static void keysAsFiles(Path templateDb, Path keyDir) throws Exception {
    try (java.sql.Connection db =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + templateDb);
        java.sql.Statement sql = db.createStatement();
        java.sql.ResultSet rows = sql.executeQuery("SELECT name, sealed FROM sealed_keys")) {
      while (rows.next()) {
        Files.writeString(keyDir.resolve(rows.getString(1) + ".key"), rows.getString(2));
      }
    }
  }

  private static void copyDataDirectory(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (source.getFileName().toString().startsWith("sluice.db")) {
          continue;
        }
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  /** A database at an earlier schema: a SQLite file, or a new PostgreSQL schema dropped after. */
  private record OldDatabase(String url, Runnable dropper) {
    static OldDatabase sqlite(Path dataDir) {
      return new OldDatabase("jdbc:sqlite:" + dataDir.resolve("sluice.db"), () -> {});
    }

    static OldDatabase postgres() throws SQLException {
      if (!TestDatabases.postgresConfigured()) {
        assertThat(TestDatabases.postgresRequired())
            .as("PostgreSQL is required but %s is not set", TestDatabases.PG_URL_ENV)
            .isFalse();
        Assumptions.assumeTrue(false, TestDatabases.PG_URL_ENV + " is not set; skipping");
      }
      String base = System.getenv(TestDatabases.PG_URL_ENV).strip();
      String schema = "sluice_up_" + Long.toHexString(System.nanoTime());
      execute(base, "CREATE SCHEMA " + schema);
      return new OldDatabase(
          base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema,
          () -> execute(base, "DROP SCHEMA " + schema + " CASCADE"));
    }

    void drop() {
      dropper.run();
    }

    private static void execute(String url, String sql) {
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement()) {
        s.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(sql, e);
      }
    }
  }

  private static String releaseId(String state) {
    // rel_ and 26 characters of Crockford base32; one per state.
    int index = List.of(STATES).indexOf(state);
    return "rel_01KVPGRADE" + "0".repeat(15) + "ABCDEF".charAt(index);
  }

  /**
   * Rows in the formats of the first versions, with ids far above the template's (whose rows are
   * copied in after them).
   */
  private static void rowsOfVersion(
      Handle h, int version, Map<String, byte[]> files, boolean postgres) throws Exception {
    switch (version) {
      case 1 -> v1Rows(h, files, postgres ? " OVERRIDING SYSTEM VALUE" : "");
      case 4 -> v4Rows(h);
      case 5 -> v5Rows(h, files);
      default -> {
        // Later versions' tables are filled by the server itself: the template's rows.
      }
    }
  }

  private static void v1Rows(Handle h, Map<String, byte[]> files, String override)
      throws Exception {
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
            + " VALUES ('legacy-phone', 'Legacy phones', 1, 1048576, ?)",
        T);
    StandardsSet standards = new StandardsSet(LEGACY, 1, DefaultStandards.get().standards());
    h.execute(
        "INSERT INTO product_standards (product, version, set_json, created_at)"
            + " VALUES ('legacy-phone', 1, ?, ?)",
        JSON.writeValueAsString(StandardsJson.toJson(standards)),
        T);
    h.execute(
        "INSERT INTO product_certifiers (product, certifier_id, position)"
            + " VALUES ('legacy-phone', 'lab-a', 0)");
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
              + " VALUES (?, 'legacy-phone', ?, ?, ?, ?, 'admin', ?, ?, ?, ?, ?, ?, ?)",
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
          "INSERT INTO audit_events (seq, at, actor, action, subject, detail_json)"
              + override
              + " VALUES (?, ?, 'admin', 'release.created', ?, ?)",
          1_000_000 + n,
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
              + " VALUES (?, 'legacy-phone', ?, NULL, NULL, NULL, 'unknown', ?, ?, ?)",
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
        "INSERT INTO actions (id, device_id, release_id, rollout_id, stage, type, forced_at,"
            + " window_schedule, window_duration_ms, window_zone, confirmation, attempt, status,"
            + " created_at, updated_at, last_message)"
            + " VALUES (1000001, 'phone-0001', ?, NULL, 0, 'forced', NULL, NULL, NULL, NULL, 'running_version', 1,"
            + " 'succeeded', ?, ?, 'installed')",
        published,
        T,
        T + 10);
    h.execute(
        "INSERT INTO actions (id, device_id, release_id, rollout_id, stage, type, forced_at,"
            + " window_schedule, window_duration_ms, window_zone, confirmation, attempt, status,"
            + " created_at, updated_at, last_message)"
            + " VALUES (1000002, 'phone-0002', ?, NULL, 0, 'soft', NULL, NULL, NULL, NULL, 'running_version', 1,"
            + " 'offered', ?, ?, NULL)",
        published,
        T,
        T);
    h.execute(
        "INSERT INTO action_feedback (seq, action_id, at, execution, result, body)"
            + " SELECT 1000001, id, ?, 'closed', 'success', '{\"status\":{\"execution\":\"closed\"}}'"
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
        (ObjectNode) JSON.readTree(Pipeline.manifest(LEGACY, version, new LinkedHashMap<>(files)));
    m.put("schema", "sluice.release-manifest/v1");
    ArrayNode artifacts = m.putArray("artifacts");
    files.keySet().forEach(name -> artifacts.addObject().put("name", name));
    m.remove("provenance");
    return JSON.writeValueAsBytes(m);
  }

  /** A check report in the format of schema V1: standards_set_id and standards_version on top. */
  private static String v1Report(boolean blocked) throws Exception {
    ObjectNode r = JSON.createObjectNode();
    r.put("standards_set_id", LEGACY);
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
