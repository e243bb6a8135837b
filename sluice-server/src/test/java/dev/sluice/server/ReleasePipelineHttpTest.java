package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleasePipelineHttpTest {
  @TempDir Path dataDir;
  RunningServer running;
  Pipeline p;

  @BeforeEach
  void start() {
    running = new RunningServer(dataDir);
    p = running.pipeline.certifiers(3);
    assertThat(p.createProduct("acme-phone", 2, 1 << 20).status()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void firstStartWritesTheAdminTokenReadableOnlyByItsOwner() throws Exception {
    Path tokenFile = dataDir.resolve("admin.token");
    assertThat(Files.readString(tokenFile).strip()).isEqualTo(p.adminToken);
    assertThat(Files.getPosixFilePermissions(tokenFile))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void restartKeepsDataAndIssuesNoNewAdminToken() {
    running.close();
    running = null;
    try (SluiceServer restarted =
        SluiceServer.start(ServerConfig.builder(dataDir).port(0).build())) {
      assertThat(restarted.bootstrapAdminToken()).isEmpty();
      Http http = new Http(restarted.baseUri());
      assertThat(http.get("/api/v1/products/acme-phone", p.adminToken).status()).isEqualTo(200);
    }
  }

  @Test
  void passingReleaseIsCertifiedAfterTheThresholdOfSignOffs() {
    Map<String, byte[]> files = Pipeline.artifacts("good");
    String id =
        p.draft("acme-phone", "1.0.0", Pipeline.manifest("acme-phone", "1.0.0", files), files);
    assertThat(p.release(id).get("state").asText()).isEqualTo("draft");

    Http.Response checked = p.check(id);
    assertThat(checked.status()).as(checked.text()).isEqualTo(200);
    assertThat(checked.json().get("state").asText()).isEqualTo("checked");
    assertThat(checked.json().at("/check/report/verdict").asText()).isEqualTo("passed");

    Http.Response first = p.approve(id, "lab-1");
    assertThat(first.status()).as(first.text()).isEqualTo(201);
    assertThat(first.json().get("state").asText()).isEqualTo("checked");
    assertThat(first.json().at("/certification/approved_by").toString()).isEqualTo("[\"lab-1\"]");

    Http.Response second = p.approve(id, "lab-2");
    assertThat(second.status()).as(second.text()).isEqualTo(201);
    assertThat(second.json().get("state").asText()).isEqualTo("certified");
    assertThat(Pipeline.names(second.json().get("signoffs"), "certifier"))
        .containsExactly("lab-1", "lab-2");
  }

  @Test
  void statementCommitsToArtifactsManifestStandardsAndReport() throws Exception {
    Map<String, byte[]> files = Pipeline.artifacts("stmt");
    byte[] manifest = Pipeline.manifest("acme-phone", "1.0.0", files);
    String id = p.draft("acme-phone", "1.0.0", manifest, files);
    p.check(id);
    Http.Response statement = p.statement(id);
    assertThat(statement.status()).isEqualTo(200);
    JsonNode json = statement.json();
    assertThat(CanonicalJson.encode(json)).isEqualTo(statement.body());
    assertThat(statement.header("Sluice-Statement-Sha256"))
        .isEqualTo(Sha256.of(statement.body()).hex());
    assertThat(json.get("type").asText()).isEqualTo("sluice.release-statement/v1");
    assertThat(json.get("manifest_sha256").asText()).isEqualTo(Sha256.of(manifest).hex());
    assertThat(json.at("/artifacts/0/name").asText()).isEqualTo("boot.img");
    assertThat(json.at("/artifacts/1/sha256").asText())
        .isEqualTo(Sha256.of(files.get("system.img")).hex());
    assertThat(json.at("/standards/id").asText()).isEqualTo("acme-phone");
    assertThat(json.get("report_sha256").asText())
        .isEqualTo(p.release(id).at("/check/report_sha256").asText());
  }

  @Test
  void releaseThatBreaksAStandardIsBlockedWithAReportSayingWhy() {
    Map<String, byte[]> files = Pipeline.artifacts("bad");
    String id =
        p.draft(
            "acme-phone", "1.0.1", Pipeline.breakingManifest("acme-phone", "1.0.1", files), files);
    Http.Response checked = p.check(id);
    assertThat(checked.status()).isEqualTo(200);
    assertThat(checked.json().get("state").asText()).isEqualTo("blocked");
    JsonNode report = checked.json().at("/check/report");
    assertThat(report.get("verdict").asText()).isEqualTo("blocked");
    List<String> failed =
        Pipeline.names(report.get("results"), "id").stream()
            .filter(
                sid -> {
                  for (JsonNode r : report.get("results")) {
                    if (r.get("id").asText().equals(sid)) {
                      return !r.get("outcome").asText().equals("pass")
                          && r.get("severity").asText().equals("error");
                    }
                  }
                  return false;
                })
            .toList();
    assertThat(failed).isNotEmpty();

    Http.Response text =
        p.http.get(
            "/api/v1/releases/" + id + "/report", p.adminToken, Map.of("Accept", "text/plain"));
    assertThat(text.text()).contains(failed.getFirst()).containsIgnoringCase("blocked");

    Http.Response signOff = p.approve(id, "lab-1");
    assertThat(signOff.status()).isEqualTo(409);
  }

  @Test
  void aCertifierRejectionBlocksTheRelease() {
    Map<String, byte[]> files = Pipeline.artifacts("rej");
    String id =
        p.draft("acme-phone", "2.0.0", Pipeline.manifest("acme-phone", "2.0.0", files), files);
    p.check(id);
    byte[] statement = p.statement(id).body();
    Sha256 digest = Sha256.of(statement);
    String reason = "bootloader unlock path not documented'); DROP TABLE signoffs; --";
    byte[] rejection = new dev.sluice.core.certification.Rejection(digest, reason).canonicalBytes();
    Http.Response rejected =
        p.submit(
            id, "lab-3", "reject", p.certifierKeys.get("lab-3").sign(rejection), digest, reason);
    assertThat(rejected.status()).as(rejected.text()).isEqualTo(201);
    assertThat(rejected.json().get("state").asText()).isEqualTo("blocked");
    assertThat(rejected.json().at("/signoffs/0/reason").asText()).isEqualTo(reason);
    assertThat(p.approve(id, "lab-1").status()).isEqualTo(409);
  }

  @Test
  void auditTrailRecordsEveryTransitionWithActor() {
    Map<String, byte[]> files = Pipeline.artifacts("audit");
    String id =
        p.draft("acme-phone", "3.0.0", Pipeline.manifest("acme-phone", "3.0.0", files), files);
    p.check(id);
    p.approve(id, "lab-1");
    p.approve(id, "lab-2");
    Http.Response audit = p.http.get("/api/v1/audit?subject=release/" + id, p.adminToken);
    assertThat(audit.status()).isEqualTo(200);
    List<String> actions = Pipeline.names(audit.json().get("events"), "action");
    assertThat(actions)
        .containsExactly(
            "release.created",
            "release.artifact-uploaded",
            "release.artifact-uploaded",
            "release.checked",
            "release.signed-off",
            "release.signed-off",
            "release.certified");
    List<String> actors = Pipeline.names(audit.json().get("events"), "actor");
    // The actor is the token's id and label (issue 10, item 15).
    assertThat(actors.get(4)).matches("token:[0-9A-HJKMNP-TV-Z]{26}\\(lab-1\\)");
    assertThat(actors.get(5)).matches("token:[0-9A-HJKMNP-TV-Z]{26}\\(lab-2\\)");
  }

  @Test
  void artifactDownloadReturnsTheUploadedBytes() {
    Map<String, byte[]> files = Pipeline.artifacts("dl");
    String id =
        p.draft("acme-phone", "4.0.0", Pipeline.manifest("acme-phone", "4.0.0", files), files);
    Http.Response download =
        p.http.get("/api/v1/releases/" + id + "/artifacts/system.img", p.adminToken);
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(files.get("system.img"));
    Http.Response manifest = p.http.get("/api/v1/releases/" + id + "/manifest", p.adminToken);
    assertThat(manifest.body()).isEqualTo(Pipeline.manifest("acme-phone", "4.0.0", files));
  }

  @Test
  void sameContentIsStoredOnce() throws Exception {
    Map<String, byte[]> files = Pipeline.artifacts("dedup");
    p.draft("acme-phone", "5.0.0", Pipeline.manifest("acme-phone", "5.0.0", files), files);
    p.draft("acme-phone", "5.0.1", Pipeline.manifest("acme-phone", "5.0.1", files), files);
    try (var blobs = Files.walk(dataDir.resolve("blobs"))) {
      assertThat(blobs.filter(Files::isRegularFile).count()).isEqualTo(2);
    }
  }

  @Test
  void openApiDocumentDescribesEveryRoute() {
    Http.Response doc = p.http.get("/api/v1/openapi.json", null);
    assertThat(doc.status()).isEqualTo(200);
    JsonNode paths = doc.json().get("paths");
    for (var route : running.server.routes()) {
      if (route.prefix()) {
        // A prefix route is documented by the templates of the paths beneath it.
        List<String> beneath = new java.util.ArrayList<>();
        paths
            .fieldNames()
            .forEachRemaining(
                p -> {
                  if (p.startsWith(route.template())) {
                    beneath.add(p);
                  }
                });
        assertThat(beneath).as("documented under: " + route).isNotEmpty();
        beneath.forEach(
            p -> assertThat(paths.get(p).has("get")).as("documented: GET " + p).isTrue());
        continue;
      }
      assertThat(paths.has(route.template())).as("documented: " + route).isTrue();
      assertThat(paths.get(route.template()).has(route.method().toLowerCase(java.util.Locale.ROOT)))
          .as("documented: " + route)
          .isTrue();
    }
    assertThat(doc.json().get("openapi").asText()).startsWith("3.");
  }

  @Test
  void releaseListsArePagedByANextCursorAndABadCursorIsRefused() {
    List<String> created = new java.util.ArrayList<>();
    for (String version : List.of("1.0.0", "1.1.0", "1.2.0")) {
      Http.Response r =
          p.createRelease(
              "acme-phone",
              version,
              Pipeline.manifest("acme-phone", version, Pipeline.artifacts(version)));
      assertThat(r.status()).as(r.text()).isEqualTo(201);
      created.add(r.json().get("id").asText());
    }
    Http.Response first = p.http.get("/api/v1/releases?product=acme-phone&limit=2", p.adminToken);
    assertThat(Pipeline.names(first.json().get("releases"), "id"))
        .containsExactly(created.get(2), created.get(1));
    String next = first.json().get("next").asText();
    // A release created meanwhile does not move the second page.
    assertThat(
            p.createRelease(
                    "acme-phone",
                    "2.0.0",
                    Pipeline.manifest("acme-phone", "2.0.0", Pipeline.artifacts("2.0.0")))
                .status())
        .isEqualTo(201);
    Http.Response second =
        p.http.get("/api/v1/releases?product=acme-phone&limit=2&after=" + next, p.adminToken);
    assertThat(Pipeline.names(second.json().get("releases"), "id")).containsExactly(created.get(0));
    assertThat(second.json().has("next")).as("the last page names no next").isFalse();

    for (String bad : List.of("nope", "%00", "bm90LWEtY3Vyc29y", "x".repeat(500))) {
      Http.Response refused = p.http.get("/api/v1/releases?after=" + bad, p.adminToken);
      assertThat(refused.status()).as(bad).isEqualTo(400);
      assertThat(refused.text()).as(bad).contains("'after' is not a cursor");
    }
    assertThat(p.http.get("/api/v1/releases?limit=1001", p.adminToken).text())
        .contains("between 1 and 1000");
  }

  @Test
  void openApiDocumentsTheRefusalsOfTheRoutersConventions() {
    JsonNode paths = p.http.get("/api/v1/openapi.json", null).json().get("paths");
    List<String> undocumented = new java.util.ArrayList<>();
    for (var route : running.server.routes()) {
      if (route.prefix()) {
        continue;
      }
      String method = route.method().toLowerCase(java.util.Locale.ROOT);
      JsonNode responses = paths.path(route.template()).path(method).path("responses");
      List<String> expected = new java.util.ArrayList<>(List.of("405"));
      if (!route.produces().contains("*/*")) {
        expected.add("406");
      }
      if (!route.consumes().isEmpty() && !route.consumes().contains("*/*")) {
        expected.add("415");
      }
      for (String status : expected) {
        if (!responses.has(status)) {
          undocumented.add(status + " " + route.method() + " " + route.template());
        }
      }
    }
    assertThat(undocumented).isEmpty();
    assertThat(p.http.get("/api/v1/openapi.json", null).json().at("/info/description").asText())
        .as("the HEAD convention is documented once for all GETs")
        .contains("Every GET also answers HEAD");
  }

  @Test
  void healthNeedsNoToken() {
    Http.Response health = p.http.get("/api/v1/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("ok");
  }

  static Set<String> keys(JsonNode node) {
    Set<String> out = new java.util.TreeSet<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
