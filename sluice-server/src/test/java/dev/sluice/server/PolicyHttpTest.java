package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.policy.KeyChange;
import dev.sluice.core.product.CertifierId;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.Tuf;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.testing.TestKeys;
import dev.sluice.trust.tlog.EntryBundles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certification policies over HTTP: endorsed key changes and policy proposals, publication under
 * the logged policy, and the public read-only routes a verifier uses without a token.
 */
class PolicyHttpTest {
  static final String PRODUCT = "acme-phone";

  @TempDir Path dataDir;
  RunningServer running;
  Pipeline p;
  Http http;

  @BeforeEach
  void start() {
    running = new RunningServer(dataDir);
    p = running.pipeline.certifiers(2);
    http = p.http;
    Http.Response created = p.createProduct(PRODUCT, 2, 1 << 20);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    running.close();
  }

  private static ObjectNode endorsement(String keyId, byte[] signature) {
    ObjectNode body = Http.object();
    body.putObject("endorsement")
        .put("key_id", keyId)
        .put("signature", Base64.getEncoder().encodeToString(signature));
    return body;
  }

  private int version(String certifier) {
    return http.get("/api/v1/certifiers/" + certifier, p.adminToken).json().get("version").asInt();
  }

  private Http.Response addKey(
      String certifier, VerificationKey key, SigningKey signer, String token) {
    KeyChange change =
        new KeyChange(
            new CertifierId(certifier), KeyChange.Action.ADD, key, version(certifier) + 1);
    ObjectNode body = endorsement(signer.keyId(), signer.sign(change.canonicalBytes()));
    body.set("key", key.toTufJson());
    return http.post("/api/v1/certifiers/" + certifier + "/keys", token, body);
  }

  private Http.Response revokeKey(String certifier, VerificationKey key, SigningKey signer) {
    KeyChange change =
        new KeyChange(
            new CertifierId(certifier), KeyChange.Action.REVOKE, key, version(certifier) + 1);
    return http.post(
        "/api/v1/certifiers/" + certifier + "/keys/" + key.keyId() + "/revoke",
        p.certifierTokens.get(certifier),
        endorsement(signer.keyId(), signer.sign(change.canonicalBytes())));
  }

  private Http.Response signPolicy(String certifier, String token, SigningKey key) {
    Http.Response statement =
        http.get("/api/v1/products/" + PRODUCT + "/policy/pending/statement", token);
    assertThat(statement.status()).as(statement.text()).isEqualTo(200);
    ObjectNode body = Http.object();
    if (certifier != null) {
      body.put("certifier", certifier);
    }
    body.put("key_id", key.keyId());
    body.put("signature", Base64.getEncoder().encodeToString(key.sign(statement.body())));
    body.put("statement_sha256", Sha256.of(statement.body()).hex());
    return http.post("/api/v1/products/" + PRODUCT + "/policy/pending/signatures", token, body);
  }

  private JsonNode publicPolicies() {
    Http.Response r = http.get("/api/v1/public/products/" + PRODUCT + "/policies", null);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().get("policies");
  }

  /** The log entry at an index (the log's first entry bundle). */
  private byte[] logEntry(long index) {
    long size = running.server.transparencyLog().latestCheckpoint().size();
    Http.Response bundle = http.get("/log/tile/entries/000.p/" + size, null);
    assertThat(bundle.status()).as(bundle.text()).isEqualTo(200);
    return EntryBundles.decode(bundle.body()).get((int) index);
  }

  private long awaitLogIndex(int sequence) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (true) {
      JsonNode policy = publicPolicies().get(sequence - 1);
      if (policy.get("log_index").isIntegralNumber()) {
        return policy.get("log_index").asLong();
      }
      assertThat(Instant.now()).as("policy %d gets a log index", sequence).isBefore(deadline);
      running
          .server
          .transparencyLog()
          .awaitIntegrated(
              dev.sluice.core.tlog.LogTicket.pending(
                  dev.sluice.trust.tlog.Hash.fromHex(policy.get("leaf_hash").asText())),
              Duration.ofSeconds(5));
    }
  }

  @Test
  void anAdminHoldingOneCertifiersKeyCannotCertifyATwoOfTwoReleaseAlone() {
    // The admin is lab-1 (holds its key) and wants lab-2's vote too.
    SigningKey own = TestKeys.ed25519();
    ObjectNode unendorsed = Http.object();
    unendorsed.set("key", own.verificationKey().toTufJson());
    Http.Response noEndorsement =
        http.post("/api/v1/certifiers/lab-2/keys", p.adminToken, unendorsed);
    assertThat(noEndorsement.status()).as(noEndorsement.text()).isEqualTo(400);
    assertThat(noEndorsement.json().get("detail").asText()).contains("endorsement");
    Http.Response selfEndorsed = addKey("lab-2", own.verificationKey(), own, p.adminToken);
    assertThat(selfEndorsed.status()).as(selfEndorsed.text()).isEqualTo(403);
    Http.Response endorsedByLab1 =
        addKey("lab-2", own.verificationKey(), p.certifierKeys.get("lab-1"), p.adminToken);
    assertThat(endorsedByLab1.status()).as(endorsedByLab1.text()).isEqualTo(403);
    assertThat(http.get("/api/v1/certifiers/lab-2", p.adminToken).text())
        .doesNotContain(own.keyId());

    // It issues itself a lab-2 token anyway and signs off with its own key: refused.
    String stolen = p.token("certifier", "admin-as-lab-2", "lab-2");
    Map<String, byte[]> files = Pipeline.artifacts("alone");
    String id = p.draft(PRODUCT, "1.0.0", Pipeline.manifest(PRODUCT, "1.0.0", files), files);
    assertThat(p.check(id).status()).isEqualTo(200);
    assertThat(p.approve(id, "lab-1").status()).isEqualTo(201);
    byte[] statement = p.statement(id).body();
    ObjectNode forged = Http.object();
    forged.put("decision", "approve");
    forged.put("key_id", own.keyId());
    forged.put("signature", Base64.getEncoder().encodeToString(own.sign(statement)));
    forged.put("statement_sha256", Sha256.of(statement).hex());
    Http.Response refused = http.post("/api/v1/releases/" + id + "/signoffs", stolen, forged);
    assertThat(refused.status()).as(refused.text()).isBetween(400, 403);

    // It proposes a threshold of 1 and endorses it as lab-1: not enough.
    ObjectNode proposal = Http.object().put("threshold", 1);
    Http.Response proposed =
        http.post("/api/v1/products/" + PRODUCT + "/policy/pending", p.adminToken, proposal);
    assertThat(proposed.status()).as(proposed.text()).isEqualTo(201);
    Http.Response signed =
        signPolicy(null, p.certifierTokens.get("lab-1"), p.certifierKeys.get("lab-1"));
    assertThat(signed.status()).as(signed.text()).isEqualTo(201);
    assertThat(signed.json().get("status").asText()).isEqualTo("pending");
    Http.Response asLab2 = signPolicy("lab-2", p.adminToken, p.certifierKeys.get("lab-1"));
    assertThat(asLab2.status()).as(asLab2.text()).isEqualTo(403);
    Http.Response viaStolenToken = signPolicy(null, stolen, own);
    assertThat(viaStolenToken.status()).as(viaStolenToken.text()).isEqualTo(403);

    assertThat(p.release(id).get("state").asText()).isEqualTo("checked");
    assertThat(
            http.get("/api/v1/products/" + PRODUCT, p.adminToken).json().get("threshold").asInt())
        .isEqualTo(2);
    assertThat(publicPolicies()).hasSize(1);
  }

  @Test
  void aCertifierRotatesItsKeyWithItsCurrentKeyAndEveryProductLogsIt() {
    SigningKey lab1 = p.certifierKeys.get("lab-1");
    SigningKey next = TestKeys.ed25519();
    long firstIndex = awaitLogIndex(1);

    Http.Response added =
        addKey("lab-1", next.verificationKey(), lab1, p.certifierTokens.get("lab-1"));
    assertThat(added.status()).as(added.text()).isEqualTo(201);
    assertThat(added.json().get("version").asInt()).isEqualTo(2);
    Http.Response revoked = revokeKey("lab-1", lab1.verificationKey(), lab1);
    assertThat(revoked.status()).as(revoked.text()).isEqualTo(200);
    Http.Response again = revokeKey("lab-1", lab1.verificationKey(), lab1);
    assertThat(again.status()).as(again.text()).isIn(403, 404);

    awaitLogIndex(3);
    JsonNode policies = publicPolicies();
    assertThat(policies).hasSize(3);
    JsonNode second = policies.get(1).get("record");
    assertThat(second.at("/statement/change/kind").asText()).isEqualTo("key-added");
    assertThat(second.at("/statement/previous/log_index").asLong()).isEqualTo(firstIndex);
    assertThat(second.at("/statement/previous/record_sha256").asText())
        .isEqualTo(Sha256.of(logEntry(firstIndex)).hex());
    assertThat(second.at("/endorsements/0/signs").asText()).isEqualTo("key-change");
    JsonNode third = policies.get(2);
    assertThat(third.at("/record/statement/change/kind").asText()).isEqualTo("key-revoked");
    // The raw record is the log entry, byte for byte.
    Http.Response raw = http.get("/api/v1/public/products/" + PRODUCT + "/policies/3", null);
    assertThat(raw.status()).isEqualTo(200);
    assertThat(raw.body()).isEqualTo(logEntry(third.get("log_index").asLong()));
    assertThat(raw.header("Cache-Control")).contains("immutable");

    JsonNode certifier = http.get("/api/v1/public/certifiers/lab-1", null).json();
    assertThat(certifier.get("version").asInt()).isEqualTo(3);
    JsonNode oldKey = certifier.get("keys").get(0);
    assertThat(oldKey.get("key_id").asText()).isEqualTo(lab1.keyId());
    assertThat(oldKey.get("revoked_version").asInt()).isEqualTo(3);
    assertThat(oldKey.get("policy_records").get(0).get("change").asText()).isEqualTo("key-revoked");
    assertThat(certifier.get("keys").get(1).get("revoked_at").isNull()).isTrue();
  }

  @Test
  void aPolicyChangeAppliesWhenTheCurrentThresholdSignedItsStatement() {
    ObjectNode proposal = Http.object().put("threshold", 1);
    proposal.putArray("certifiers").add("lab-1").add("lab-2");
    Http.Response noToken =
        http.post("/api/v1/products/" + PRODUCT + "/policy/pending", null, proposal);
    assertThat(noToken.status()).isEqualTo(401);
    Http.Response byCertifier =
        http.post(
            "/api/v1/products/" + PRODUCT + "/policy/pending",
            p.certifierTokens.get("lab-1"),
            proposal);
    assertThat(byCertifier.status()).isEqualTo(403);
    Http.Response badThreshold =
        http.post(
            "/api/v1/products/" + PRODUCT + "/policy/pending",
            p.adminToken,
            Http.object().put("threshold", 3));
    assertThat(badThreshold.status()).as(badThreshold.text()).isEqualTo(400);
    assertThat(badThreshold.json().get("detail").asText()).contains("threshold");
    Http.Response proposed =
        http.post("/api/v1/products/" + PRODUCT + "/policy/pending", p.adminToken, proposal);
    assertThat(proposed.status()).as(proposed.text()).isEqualTo(201);

    Http.Response first =
        signPolicy(null, p.certifierTokens.get("lab-1"), p.certifierKeys.get("lab-1"));
    assertThat(first.json().get("status").asText()).isEqualTo("pending");
    Http.Response second = signPolicy("lab-2", p.adminToken, p.certifierKeys.get("lab-2"));
    assertThat(second.status()).as(second.text()).isEqualTo(201);
    assertThat(second.json().get("status").asText()).isEqualTo("applied");

    assertThat(
            http.get("/api/v1/products/" + PRODUCT, p.adminToken).json().get("threshold").asInt())
        .isEqualTo(1);
    assertThat(http.get("/api/v1/products/" + PRODUCT + "/policy/pending", p.adminToken).status())
        .isEqualTo(404);
    JsonNode policies = publicPolicies();
    assertThat(policies).hasSize(2);
    assertThat(policies.get(1).at("/record/statement/change/kind").asText())
        .isEqualTo("policy-changed");
    assertThat(policies.get(1).at("/record/endorsements")).hasSize(2);
    String audit = http.get("/api/v1/audit?subject=product/" + PRODUCT, p.adminToken).text();
    assertThat(audit)
        .contains("product.policy-proposed", "product.policy-signed", "product.policy-changed");
  }

  @Test
  void publicationRefusesAReleaseWhoseSignOffsNoLongerMeetThePolicyAndNamesThePolicyOtherwise() {
    Tuf.init(p, Tuf.rootKeys(3));
    String good = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("good"));
    Http.Response published = Tuf.publish(p, good);
    assertThat(published.status()).as(published.text()).isEqualTo(200);
    long index = published.json().get("log_index").asLong();
    JsonNode record = CanonicalJson.parse(logEntry(index));
    assertThat(record.get("format").asText()).isEqualTo("sluice.release-record/v2");
    long policyIndex = awaitLogIndex(1);
    assertThat(record.at("/policy/log_index").asLong()).isEqualTo(policyIndex);
    assertThat(record.at("/policy/record_sha256").asText())
        .isEqualTo(Sha256.of(logEntry(policyIndex)).hex());
    assertThat(record.get("signoffs")).hasSize(2);

    // lab-1 certifies a release, then revokes the key it signed with (rotating first).
    String stale = Tuf.certified(p, PRODUCT, "1.0.1", Pipeline.artifacts("stale"));
    SigningKey lab1 = p.certifierKeys.get("lab-1");
    SigningKey next = TestKeys.ed25519();
    assertThat(addKey("lab-1", next.verificationKey(), lab1, p.adminToken).status()).isEqualTo(201);
    assertThat(revokeKey("lab-1", lab1.verificationKey(), lab1).status()).isEqualTo(200);

    Http.Response refused = Tuf.publish(p, stale);
    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.json().get("conflict").asText()).isEqualTo("policy_not_met");
    assertThat(refused.json().get("detail").asText())
        .contains("no longer meets", "certified again");
    assertThat(p.release(stale).get("state").asText()).isEqualTo("certified");
  }

  @Test
  void theReleasePageShowsThePolicyTheReleaseWasCertifiedUnderAfterThePolicyChanged() {
    Tuf.init(p, Tuf.rootKeys(3));
    String published = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("before"));
    assertThat(Tuf.publish(p, published).status()).isEqualTo(200);
    awaitLogIndex(1);
    SigningKey oldKey = p.certifierKeys.get("lab-1");
    SigningKey newKey = TestKeys.ed25519();
    // The policy changes after publication: lab-1 rotates its key, the threshold drops to 1.
    assertThat(addKey("lab-1", newKey.verificationKey(), oldKey, p.adminToken).status())
        .isEqualTo(201);
    assertThat(revokeKey("lab-1", oldKey.verificationKey(), oldKey).status()).isEqualTo(200);
    ObjectNode proposal = Http.object().put("threshold", 1);
    proposal.putArray("certifiers").add("lab-1").add("lab-2");
    assertThat(
            http.post("/api/v1/products/" + PRODUCT + "/policy/pending", p.adminToken, proposal)
                .status())
        .isEqualTo(201);
    signPolicy("lab-1", p.adminToken, newKey);
    assertThat(signPolicy("lab-2", p.adminToken, p.certifierKeys.get("lab-2")).status())
        .isEqualTo(201);
    assertThat(publicPolicies()).hasSize(4);
    long oldPolicyIndex = awaitLogIndex(1);
    String draft =
        p.draft(
            PRODUCT,
            "1.1.0",
            Pipeline.manifest(PRODUCT, "1.1.0", Pipeline.artifacts("after")),
            Pipeline.artifacts("after"));

    Http.Response page = http.get("/releases/" + published, null);
    assertThat(page.status()).as(page.text()).isEqualTo(200);
    assertThat(page.text())
        .contains("record #1 at log index " + oldPolicyIndex + " the release's record names")
        .contains("at least <strong>2</strong> of 2 certifiers")
        .contains(oldKey.keyId())
        .doesNotContain(newKey.keyId());
    Http.Response pending = http.get("/releases/" + draft, null);
    assertThat(pending.text())
        .contains("the product's current policy, record #4")
        .contains("at least <strong>1</strong> of 2 certifiers")
        .contains(newKey.keyId())
        .doesNotContain(oldKey.keyId());
  }

  @Test
  void everyPublicRouteAnswersWithoutATokenAndTellsNothingAboutDevicesTokensOrAccounts() {
    Tuf.init(p, Tuf.rootKeys(3));
    String published = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("pub"));
    assertThat(Tuf.publish(p, published).status()).isEqualTo(200);
    Map<String, byte[]> files = Pipeline.artifacts("draft");
    String draft = p.draft(PRODUCT, "2.0.0", Pipeline.manifest(PRODUCT, "2.0.0", files), files);
    String operatorLabel = "ops-console-of-jane-doe";
    String operator = p.token("operator", operatorLabel, null);
    ObjectNode device = Http.object();
    device.put("controller_id", "owner-jane-phone-4711");
    device.put("product", PRODUCT);
    device.putArray("tags").add("home-of-jane");
    Http.Response registered = http.post("/api/v1/devices", operator, device);
    assertThat(registered.status()).as(registered.text()).isEqualTo(201);
    String deviceToken = registered.json().get("token").asText();

    List<String> routes =
        new ArrayList<>(
            List.of(
                "/api/v1/public/log",
                "/api/v1/public/products",
                "/api/v1/public/products/" + PRODUCT,
                "/api/v1/public/products/" + PRODUCT + "/policies",
                "/api/v1/public/products/" + PRODUCT + "/policies/1",
                "/api/v1/public/certifiers",
                "/api/v1/public/certifiers/lab-1",
                "/api/v1/public/releases",
                "/api/v1/public/releases?state=published",
                "/api/v1/public/releases/" + published,
                "/api/v1/public/standards/" + PRODUCT + "/1"));
    List<String> secrets =
        List.of(
            p.adminToken,
            operator,
            operatorLabel,
            p.certifierTokens.get("lab-1"),
            "owner-jane-phone-4711",
            "home-of-jane",
            deviceToken,
            "created_by",
            draft);
    for (String route : routes) {
      Http.Response r = http.get(route, null);
      assertThat(r.status()).as(route + ": " + r.text()).isEqualTo(200);
      assertThat(r.header("ETag")).as(route).startsWith("\"");
      assertThat(r.header("Cache-Control")).as(route).startsWith("public");
      for (String secret : secrets) {
        assertThat(r.text()).as(route + " must not reveal " + secret).doesNotContain(secret);
      }
      Http.Response cached = http.get(route, null, Map.of("If-None-Match", r.header("ETag")));
      assertThat(cached.status()).as(route).isEqualTo(304);
      assertThat(cached.body()).isEmpty();
    }
    assertThat(http.get("/api/v1/public/releases/" + draft, null).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/public/releases?state=draft", null).status()).isEqualTo(400);
    assertThat(http.get("/api/v1/public/products/nope", null).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/public/standards/" + PRODUCT + "/9", null).status())
        .isEqualTo(404);

    JsonNode log = http.get("/api/v1/public/log", null).json();
    assertThat(log.get("verifier_key").asText())
        .isEqualTo(running.server.transparencyLog().verifier().vkey());
    JsonNode release = http.get("/api/v1/public/releases/" + published, null).json();
    assertThat(release.get("state").asText()).isEqualTo("published");
    assertThat(release.at("/certification/threshold_reached").asBoolean()).isTrue();
    assertThat(release.get("signoffs")).hasSize(2);
    assertThat(release.get("report").isObject()).isTrue();
    JsonNode product = http.get("/api/v1/public/products/" + PRODUCT, null).json();
    assertThat(product.at("/policy/record/statement/threshold").asInt()).isEqualTo(2);
    assertThat(product.get("security_updates_deferrable").asBoolean()).isTrue();
  }

  @Test
  void securityUpdatesDeferrableIsSetAtCreationAndByAnAuditedAdminUpdate() {
    ObjectNode body = Http.object();
    body.put("name", "acme-watch");
    body.putArray("certifiers").add("lab-1");
    body.put("threshold", 1);
    body.put("security_updates_deferrable", false);
    Http.Response created = http.post("/api/v1/products", p.adminToken, body);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.json().get("security_updates_deferrable").asBoolean()).isFalse();
    assertThat(
            http.get("/api/v1/public/products/acme-watch", null)
                .json()
                .get("security_updates_deferrable")
                .asBoolean())
        .isFalse();

    String path = "/api/v1/products/acme-watch/settings";
    Http.Response notBoolean =
        send("PATCH", path, p.adminToken, Http.object().put("security_updates_deferrable", "yes"));
    assertThat(notBoolean.status()).as(notBoolean.text()).isEqualTo(400);
    assertThat(notBoolean.text()).contains("security_updates_deferrable");
    Http.Response threshold = send("PATCH", path, p.adminToken, Http.object().put("threshold", 1));
    assertThat(threshold.status()).isEqualTo(400);
    Http.Response byCertifier =
        send(
            "PATCH",
            path,
            p.certifierTokens.get("lab-1"),
            Http.object().put("security_updates_deferrable", true));
    assertThat(byCertifier.status()).isEqualTo(403);
    Http.Response updated =
        send("PATCH", path, p.adminToken, Http.object().put("security_updates_deferrable", true));
    assertThat(updated.status()).as(updated.text()).isEqualTo(200);
    assertThat(updated.json().get("security_updates_deferrable").asBoolean()).isTrue();
    assertThat(http.get("/api/v1/audit?subject=product/acme-watch", p.adminToken).text())
        .contains("product.updated");
  }

  private Http.Response send(String method, String path, String token, JsonNode body) {
    return http.send(
        http.request(path, token)
            .header("Content-Type", "application/json")
            .method(method, java.net.http.HttpRequest.BodyPublishers.ofByteArray(Http.json(body)))
            .build());
  }
}
