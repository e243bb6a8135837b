package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gets a clear error and changes nothing. */
class BadInputHttpTest {
  @TempDir Path dataDir;
  RunningServer running;
  Pipeline p;
  Http http;

  @BeforeEach
  void start() {
    running = new RunningServer(dataDir);
    p = running.pipeline.certifiers(3);
    http = p.http;
    assertThat(p.createProduct("acme-phone", 2, 1 << 20).status()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    running.close();
  }

  private int auditSize() {
    return http.get("/api/v1/audit?limit=1000", p.adminToken).json().get("events").size();
  }

  private String checkedRelease(String version) {
    Map<String, byte[]> files = Pipeline.artifacts(version);
    String id =
        p.draft("acme-phone", version, Pipeline.manifest("acme-phone", version, files), files);
    assertThat(p.check(id).json().get("state").asText()).isEqualTo("checked");
    return id;
  }

  private static void assertProblem(Http.Response response, int status, String detailFragment) {
    assertThat(response.status()).as(response.text()).isEqualTo(status);
    assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.json().get("status").asInt()).isEqualTo(status);
    assertThat(response.json().get("detail").asText()).containsIgnoringCase(detailFragment);
  }

  @Test
  void malformedManifestIsRefused() {
    int before = auditSize();
    byte[] broken =
        "{\"schema\": \"sluice.release-manifest/v2\", ".getBytes(StandardCharsets.UTF_8);
    assertProblem(p.createRelease("acme-phone", "1.0.0", broken), 400, "json");
    assertThat(auditSize()).isEqualTo(before);
  }

  @Test
  void schemaViolatingManifestIsRefusedWithEveryViolation() {
    ObjectNode manifest = Http.object();
    manifest.put("schema", "sluice.release-manifest/v2");
    manifest.put("product", "acme-phone");
    manifest.put("version", "1.0.0");
    Http.Response response = p.createRelease("acme-phone", "1.0.0", Http.json(manifest));
    assertThat(response.status()).as(response.text()).isEqualTo(400);
    assertThat(response.json().get("violations").size()).isGreaterThan(0);
  }

  @Test
  void aVersion1ManifestIsRefusedWithWhatToAdd() throws Exception {
    ObjectNode manifest =
        (ObjectNode)
            dev.sluice.api.WireJson.MAPPER.readTree(
                Pipeline.manifest("acme-phone", "1.0.0", Pipeline.artifacts("v1")));
    manifest.put("schema", "sluice.release-manifest/v1");
    for (var artifact : manifest.get("artifacts")) {
      ((ObjectNode) artifact).remove("sha256");
    }
    int before = auditSize();
    Http.Response response = p.createRelease("acme-phone", "1.0.0", Http.json(manifest));
    assertProblem(response, 400, "sluice.release-manifest/v2");
    assertThat(response.json().get("violations").toString())
        .contains("/schema")
        .contains("/artifacts/0/sha256");
    assertThat(auditSize()).isEqualTo(before);
  }

  @Test
  void anUploadShorterThanTheManifestDeclaresIsNotStoredAndTheNameStaysFree() throws Exception {
    Map<String, byte[]> files = Pipeline.artifacts("cut");
    Http.Response created =
        p.createRelease("acme-phone", "1.0.0", Pipeline.manifest("acme-phone", "1.0.0", files));
    String id = created.json().get("id").asText();
    byte[] whole = files.get("system.img");
    // No Sluice-Sha256 header: the manifest's digest and size decide.
    Http.Response cut =
        http.put(
            "/api/v1/releases/" + id + "/artifacts/system.img",
            p.adminToken,
            Arrays.copyOf(whole, whole.length / 2),
            Map.of());
    // Refused from its Content-Length, before any byte is read.
    assertProblem(cut, 400, "the manifest declares");
    assertThat(p.release(id).get("artifacts").size()).isZero();
    assertThat(storedBlobCount()).isZero();
    Http.Response again =
        http.put("/api/v1/releases/" + id + "/artifacts/system.img", p.adminToken, whole, Map.of());
    assertThat(again.status()).as(again.text()).isEqualTo(201);
  }

  @Test
  void aSluiceSha256HeaderThatContradictsTheManifestIsRefused() throws Exception {
    Map<String, byte[]> files = Pipeline.artifacts("hdr");
    Http.Response created =
        p.createRelease("acme-phone", "1.0.0", Pipeline.manifest("acme-phone", "1.0.0", files));
    String id = created.json().get("id").asText();
    Http.Response upload =
        http.put(
            "/api/v1/releases/" + id + "/artifacts/system.img",
            p.adminToken,
            files.get("system.img"),
            Map.of("Sluice-Sha256", Sha256.of(new byte[] {9}).hex()));
    assertProblem(upload, 400, "differs from the sha256 the manifest declares");
    assertThat(p.release(id).get("artifacts").size()).isZero();
  }

  @Test
  void oversizedManifestIsRefusedAs413() {
    byte[] huge = new byte[dev.sluice.core.manifest.ReleaseManifest.MAX_BYTES + 10];
    Arrays.fill(huge, (byte) ' ');
    Http.Response response = p.createRelease("acme-phone", "1.0.0", huge);
    assertThat(response.status()).as(response.text()).isEqualTo(413);
  }

  @Test
  void manifestForAnotherVersionIsRefused() {
    Map<String, byte[]> files = Pipeline.artifacts("x");
    assertProblem(
        p.createRelease("acme-phone", "1.0.1", Pipeline.manifest("acme-phone", "1.0.0", files)),
        400,
        "version");
  }

  @Test
  void unknownProductIs404() {
    Map<String, byte[]> files = Pipeline.artifacts("x");
    assertProblem(
        p.createRelease("no-such", "1.0.0", Pipeline.manifest("no-such", "1.0.0", files)),
        404,
        "no-such");
  }

  @Test
  void reusedVersionIs409() {
    Map<String, byte[]> files = Pipeline.artifacts("x");
    byte[] manifest = Pipeline.manifest("acme-phone", "1.0.0", files);
    assertThat(p.createRelease("acme-phone", "1.0.0", manifest).status()).isEqualTo(201);
    Http.Response again = p.createRelease("acme-phone", "1.0.0", manifest);
    assertProblem(again, 409, "1.0.0");
    assertThat(again.json().get("conflict").asText()).isEqualTo("already_exists");
  }

  @Test
  void artifactDigestMismatchStoresNothing() throws Exception {
    Map<String, byte[]> files = Pipeline.artifacts("mm");
    Http.Response created =
        p.createRelease("acme-phone", "1.0.0", Pipeline.manifest("acme-phone", "1.0.0", files));
    String id = created.json().get("id").asText();
    Http.Response upload =
        http.put(
            "/api/v1/releases/" + id + "/artifacts/system.img",
            p.adminToken,
            files.get("system.img"),
            Map.of("Sluice-Sha256", Sha256.of(new byte[] {1}).hex()));
    assertProblem(upload, 400, "sha256");
    assertThat(p.release(id).get("artifacts").size()).isZero();
    assertThat(storedBlobCount()).isZero();
  }

  @Test
  void artifactOverTheProductLimitIsRefusedAs413AndStoresNothing() throws Exception {
    Map<String, byte[]> files = Map.of("system.img", new byte[(1 << 20) + 1]);
    Http.Response created =
        p.createRelease("acme-phone", "1.0.0", Pipeline.manifest("acme-phone", "1.0.0", files));
    String id = created.json().get("id").asText();
    Http.Response upload =
        http.put(
            "/api/v1/releases/" + id + "/artifacts/system.img",
            p.adminToken,
            files.get("system.img"),
            Map.of());
    assertThat(upload.status()).as(upload.text()).isEqualTo(413);
    assertThat(p.release(id).get("artifacts").size()).isZero();
    assertThat(storedBlobCount()).isZero();
  }

  @Test
  void traversalControlCharactersAndUndeclaredNamesAreRefused() throws Exception {
    Map<String, byte[]> files = Pipeline.artifacts("names");
    String id =
        p.createRelease("acme-phone", "1.0.0", Pipeline.manifest("acme-phone", "1.0.0", files))
            .json()
            .get("id")
            .asText();
    for (String name :
        new String[] {"..%2F..%2Fetc%2Fpasswd", "..", "a%01b", "%20system.img", "other.img"}) {
      Http.Response upload =
          http.put(
              "/api/v1/releases/" + id + "/artifacts/" + name,
              p.adminToken,
              new byte[] {1},
              Map.of());
      assertThat(upload.status()).as(name + ": " + upload.text()).isIn(400, 404);
    }
    assertThat(storedBlobCount()).isZero();
    assertThat(Files.exists(dataDir.resolve("etc"))).isFalse();
  }

  @Test
  void sqlMetacharactersAreStoredVerbatim() {
    String evil = "Robert'); DROP TABLE releases; -- \\ \" ` % _ ünïcødé";
    ObjectNode body = Http.object();
    body.put("id", "lab-evil");
    body.put("display_name", evil);
    body.putArray("keys").add(SigningKey.generate(KeyScheme.ED25519).verificationKey().toTufJson());
    Http.Response created = http.post("/api/v1/certifiers", p.adminToken, body);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(
            http.get("/api/v1/certifiers/lab-evil", p.adminToken)
                .json()
                .get("display_name")
                .asText())
        .isEqualTo(evil);
    String injectedId = "lab-1' OR '1'='1";
    assertThat(
            http.get(
                    "/api/v1/certifiers/"
                        + java.net.URLEncoder.encode(injectedId, StandardCharsets.UTF_8),
                    p.adminToken)
                .status())
        .isIn(400, 404);
    assertThat(http.get("/api/v1/releases?product=acme-phone", p.adminToken).status())
        .isEqualTo(200);

    ObjectNode product = Http.object();
    product.put("name", "evil-product");
    product.put("description", evil);
    product.putArray("certifiers").add("lab-1");
    product.put("threshold", 1);
    assertThat(http.post("/api/v1/products", p.adminToken, product).status()).isEqualTo(201);
    assertThat(
            http.get("/api/v1/products/evil-product", p.adminToken)
                .json()
                .get("description")
                .asText())
        .isEqualTo(evil);

    String token = p.token("auditor", evil, null);
    assertThat(http.get("/api/v1/whoami", token).json().get("name").asText())
        .startsWith("token:")
        .endsWith("(" + evil + ")");
    assertThat(http.get("/api/v1/products", p.adminToken).json().get("products").size())
        .isEqualTo(2);
  }

  @Test
  void signOffWithAnUnregisteredKeyIsRefused() {
    String id = checkedRelease("1.0.0");
    byte[] statement = p.statement(id).body();
    SigningKey stranger = SigningKey.generate(KeyScheme.ED25519);
    ObjectNode body = Http.object();
    body.put("decision", "approve");
    body.put("key_id", stranger.keyId());
    body.put("signature", Base64.getEncoder().encodeToString(stranger.sign(statement)));
    body.put("statement_sha256", Sha256.of(statement).hex());
    Http.Response response =
        http.post("/api/v1/releases/" + id + "/signoffs", p.certifierTokens.get("lab-1"), body);
    assertProblem(response, 400, "not registered");
    assertThat(p.release(id).get("signoffs").size()).isZero();
  }

  @Test
  void wrongSignatureIsRefused() {
    String id = checkedRelease("1.0.0");
    byte[] statement = p.statement(id).body();
    byte[] signature =
        p.certifierKeys.get("lab-1").sign("something else".getBytes(StandardCharsets.UTF_8));
    Http.Response response =
        p.submit(id, "lab-1", "approve", signature, Sha256.of(statement), null);
    assertProblem(response, 400, "does not verify");
    assertThat(p.release(id).get("signoffs").size()).isZero();
  }

  @Test
  void signatureOverAStaleStatementIsRefused() {
    String id = checkedRelease("1.0.0");
    byte[] stale = "{\"type\":\"sluice.release-statement/v1\"}".getBytes(StandardCharsets.UTF_8);
    Http.Response response =
        p.submit(
            id,
            "lab-1",
            "approve",
            p.certifierKeys.get("lab-1").sign(stale),
            Sha256.of(stale),
            null);
    assertProblem(response, 409, "statement");
    assertThat(response.json().get("conflict").asText()).isEqualTo("stale_statement");
  }

  @Test
  void aCertifierCountsOnce() {
    String id = checkedRelease("1.0.0");
    assertThat(p.approve(id, "lab-1").status()).isEqualTo(201);
    Http.Response twice = p.approve(id, "lab-1");
    assertProblem(twice, 409, "already");
    assertThat(twice.json().get("conflict").asText()).isEqualTo("already_decided");
    assertThat(p.release(id).get("state").asText()).isEqualTo("checked");
  }

  @Test
  void illegalTransitionsAre409AndChangeNothing() {
    Map<String, byte[]> files = Pipeline.artifacts("t");
    String id =
        p.draft("acme-phone", "1.0.0", Pipeline.manifest("acme-phone", "1.0.0", files), files);
    assertThat(p.statement(id).status()).isEqualTo(409);
    assertThat(p.approve(id, "lab-1").status()).isIn(409);
    assertThat(p.check(id).status()).isEqualTo(200);
    int before = auditSize();
    assertProblem(p.check(id), 409, "only a DRAFT release can be checked");
    assertThat(p.upload(id, "system.img", files.get("system.img")).status()).isEqualTo(409);
    assertThat(auditSize()).isEqualTo(before);
  }

  @Test
  void missingWrongAndUnderPrivilegedTokensAreRefused() {
    Http.Response none = http.get("/api/v1/products", null);
    assertProblem(none, 401, "authorization");
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    assertProblem(http.get("/api/v1/products", "sluice_" + "A".repeat(43)), 401, "not valid");
    assertProblem(http.get("/api/v1/products", "garbage"), 401, "malformed");

    String auditor = p.token("auditor", "auditor", null);
    ObjectNode product = Http.object();
    product.put("name", "other");
    product.putArray("certifiers").add("lab-1");
    product.put("threshold", 1);
    assertProblem(http.post("/api/v1/products", auditor, product), 403, "auditor");
    assertThat(http.get("/api/v1/audit", auditor).status()).isEqualTo(200);

    String manager = p.token("release-manager", "rm", null);
    assertThat(http.get("/api/v1/audit", manager).status()).isEqualTo(403);
    ObjectNode token = Http.object();
    token.put("role", "admin");
    token.put("label", "escalate");
    assertThat(http.post("/api/v1/tokens", manager, token).status()).isEqualTo(403);

    String id = checkedRelease("1.0.0");
    assertThat(
            http.postBytes(
                    "/api/v1/releases/" + id + "/check",
                    p.certifierTokens.get("lab-1"),
                    new byte[0],
                    "application/json")
                .status())
        .isEqualTo(403);
    // An admin cannot sign off in a certifier's name.
    byte[] statement = p.statement(id).body();
    ObjectNode signOff = Http.object();
    signOff.put("decision", "approve");
    signOff.put("key_id", p.certifierKeys.get("lab-1").keyId());
    signOff.put(
        "signature",
        Base64.getEncoder().encodeToString(p.certifierKeys.get("lab-1").sign(statement)));
    signOff.put("statement_sha256", Sha256.of(statement).hex());
    assertThat(http.post("/api/v1/releases/" + id + "/signoffs", p.adminToken, signOff).status())
        .isEqualTo(403);
  }

  @Test
  void certifierOfAnotherProductCannotSignOff() {
    ObjectNode body = Http.object();
    SigningKey key = SigningKey.generate(KeyScheme.ED25519);
    body.put("id", "lab-outsider");
    body.put("display_name", "Outsider");
    body.putArray("keys").add(key.verificationKey().toTufJson());
    assertThat(http.post("/api/v1/certifiers", p.adminToken, body).status()).isEqualTo(201);
    p.certifierKeys.put("lab-outsider", key);
    p.certifierTokens.put("lab-outsider", p.token("certifier", "outsider", "lab-outsider"));
    String id = checkedRelease("1.0.0");
    assertProblem(p.approve(id, "lab-outsider"), 403, "does not certify");
  }

  @Test
  void unknownFieldsAndMalformedBodiesAreRefused() {
    ObjectNode body = Http.object();
    body.put("role", "auditor");
    body.put("label", "x");
    body.put("rolee", "admin");
    assertProblem(http.post("/api/v1/tokens", p.adminToken, body), 400, "unknown field");
    assertProblem(
        http.postBytes(
            "/api/v1/tokens",
            p.adminToken,
            "{\"role\":".getBytes(StandardCharsets.UTF_8),
            "application/json"),
        400,
        "json");
    assertProblem(
        http.postBytes(
            "/api/v1/tokens",
            p.adminToken,
            "{\"role\":\"auditor\",\"role\":\"admin\",\"label\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8),
            "application/json"),
        400,
        "json");
  }

  @Test
  void productWithABrokenCustomStandardIsRefused() {
    ObjectNode body = Http.object();
    body.put("name", "broken");
    body.putArray("certifiers").add("lab-1");
    body.put("threshold", 1);
    ObjectNode standard = body.putArray("standards").addObject();
    standard.put("id", "custom-broken");
    standard.put("title", "Broken");
    standard.put("severity", "error");
    standard.put("expression", "manifest.version >");
    standard.put("message", "never");
    assertProblem(http.post("/api/v1/products", p.adminToken, body), 400, "custom-broken");
    assertThat(http.get("/api/v1/products/broken", p.adminToken).status()).isEqualTo(404);
  }

  @Test
  void certifierKeyWithAMismatchedKeyIdOrGarbageIsRefused() {
    ObjectNode key = SigningKey.generate(KeyScheme.ED25519).verificationKey().toTufJson();
    key.put("keyid", "0".repeat(64));
    ObjectNode body = Http.object();
    body.put("id", "lab-x");
    body.put("display_name", "X");
    body.putArray("keys").add(key);
    assertProblem(http.post("/api/v1/certifiers", p.adminToken, body), 400, "does not match");
    ObjectNode garbage = Http.object();
    garbage.put("id", "lab-y");
    garbage.put("display_name", "Y");
    garbage.putArray("keys").addObject().put("keytype", "rsa");
    assertProblem(http.post("/api/v1/certifiers", p.adminToken, garbage), 400, "key");
    assertThat(http.get("/api/v1/certifiers/lab-x", p.adminToken).status()).isEqualTo(404);
  }

  @Test
  void thresholdOutsideOneToNIsRefused() {
    ObjectNode body = Http.object();
    body.put("name", "other");
    body.putArray("certifiers").add("lab-1").add("lab-2");
    body.put("threshold", 3);
    assertProblem(http.post("/api/v1/products", p.adminToken, body), 400, "threshold");
  }

  @Test
  void unknownReleaseIs404() {
    assertThat(http.get("/api/v1/releases/rel_01ARZ3NDEKTSV4RRFFQ69G5FAV", p.adminToken).status())
        .isEqualTo(404);
    assertThat(http.get("/api/v1/releases/not-an-id", p.adminToken).status()).isEqualTo(404);
  }

  private long storedBlobCount() throws Exception {
    Path blobs = dataDir.resolve("blobs");
    if (!Files.exists(blobs)) {
      return 0;
    }
    try (var walk = Files.walk(blobs)) {
      return walk.filter(Files::isRegularFile).count();
    }
  }
}
