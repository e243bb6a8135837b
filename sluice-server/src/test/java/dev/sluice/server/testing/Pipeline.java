package dev.sluice.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ArtifactName;
import dev.sluice.core.manifest.ExampleManifests;
import dev.sluice.core.manifest.Version;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives the release pipeline over HTTP for tests: certifiers with freshly generated keys, a
 * product, releases with generated artifacts, sign-offs signed locally.
 */
public final class Pipeline {
  public final Http http;
  public final String adminToken;
  public final Map<String, SigningKey> certifierKeys = new LinkedHashMap<>();
  public final Map<String, String> certifierTokens = new LinkedHashMap<>();

  public Pipeline(Http http, String adminToken) {
    this.http = http;
    this.adminToken = adminToken;
  }

  /** Registers certifiers lab-1..lab-n (alternating Ed25519 and ECDSA P-256 keys). */
  public Pipeline certifiers(int n) {
    for (int i = 1; i <= n; i++) {
      String id = "lab-" + i;
      SigningKey key = SigningKey.generate(i % 2 == 1 ? KeyScheme.ED25519 : KeyScheme.ECDSA_P256);
      ObjectNode body = Http.object();
      body.put("id", id);
      body.put("display_name", "Certification Lab " + i);
      body.putArray("keys").add(key.verificationKey().toTufJson());
      Http.Response created = http.post("/api/v1/certifiers", adminToken, body);
      assertThat(created.status()).as(created.text()).isEqualTo(201);
      certifierKeys.put(id, key);
      certifierTokens.put(id, token("certifier", id, id));
    }
    return this;
  }

  public String token(String role, String label, String certifier) {
    ObjectNode body = Http.object();
    body.put("role", role);
    body.put("label", label);
    if (certifier != null) {
      body.put("certifier", certifier);
    }
    Http.Response issued = http.post("/api/v1/tokens", adminToken, body);
    assertThat(issued.status()).as(issued.text()).isEqualTo(201);
    return issued.json().get("token").asText();
  }

  public Http.Response createProduct(String name, int threshold, long maxArtifactSize) {
    ObjectNode body = Http.object();
    body.put("name", name);
    body.put("description", "A test product");
    var list = body.putArray("certifiers");
    certifierKeys.keySet().forEach(list::add);
    body.put("threshold", threshold);
    body.put("max_artifact_size", maxArtifactSize);
    return http.post("/api/v1/products", adminToken, body);
  }

  /** The artifacts as a manifest declares them: name, SHA-256 and size of the content. */
  public static List<Artifact> declared(Map<String, byte[]> artifacts) {
    List<Artifact> declared = new ArrayList<>();
    artifacts.forEach(
        (name, content) ->
            declared.add(new Artifact(new ArtifactName(name), Sha256.of(content), content.length)));
    return declared;
  }

  public static byte[] manifest(String product, String version, Map<String, byte[]> artifacts) {
    return ExampleManifests.valid(product, Version.parse(version), declared(artifacts))
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] breakingManifest(
      String product, String version, Map<String, byte[]> artifacts) {
    return ExampleManifests.breaking(product, Version.parse(version), declared(artifacts))
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  public Http.Response createRelease(String product, String version, byte[] manifest) {
    return http.postBytes(
        "/api/v1/releases?product=" + product + "&version=" + version,
        adminToken,
        manifest,
        "application/json");
  }

  public Http.Response upload(String releaseId, String name, byte[] content) {
    return http.put(
        "/api/v1/releases/" + releaseId + "/artifacts/" + name,
        adminToken,
        content,
        Map.of("Sluice-Sha256", Sha256.of(content).hex()));
  }

  /** Creates a release, uploads every artifact and returns its id (still DRAFT). */
  public String draft(String product, String version, byte[] manifest, Map<String, byte[]> files) {
    Http.Response created = createRelease(product, version, manifest);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id = created.json().get("id").asText();
    files.forEach(
        (name, content) -> {
          Http.Response uploaded = upload(id, name, content);
          assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
        });
    return id;
  }

  public Http.Response check(String releaseId) {
    return http.postBytes(
        "/api/v1/releases/" + releaseId + "/check", adminToken, new byte[0], "application/json");
  }

  public Http.Response statement(String releaseId) {
    return http.get("/api/v1/releases/" + releaseId + "/statement", adminToken);
  }

  /** Signs the current statement with the certifier's key and submits the approval. */
  public Http.Response approve(String releaseId, String certifier) {
    byte[] statement = statement(releaseId).body();
    return submit(
        releaseId,
        certifier,
        "approve",
        certifierKeys.get(certifier).sign(statement),
        Sha256.of(statement),
        null);
  }

  public Http.Response submit(
      String releaseId,
      String certifier,
      String decision,
      byte[] signature,
      Sha256 statementSha256,
      String reason) {
    ObjectNode body = Http.object();
    body.put("decision", decision);
    body.put("key_id", certifierKeys.get(certifier).keyId());
    body.put("signature", Base64.getEncoder().encodeToString(signature));
    body.put("statement_sha256", statementSha256.hex());
    if (reason != null) {
      body.put("reason", reason);
    }
    return http.post(
        "/api/v1/releases/" + releaseId + "/signoffs", certifierTokens.get(certifier), body);
  }

  /**
   * Every registered certifier submits its approval at the same instant; returns the HTTP statuses
   * in certifier order.
   */
  public List<Integer> raceApprovals(String releaseId) throws Exception {
    byte[] statement = statement(releaseId).body();
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<Http.Response>> results = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(certifierKeys.size())) {
      for (String certifier : certifierKeys.keySet()) {
        byte[] signature = certifierKeys.get(certifier).sign(statement);
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return submit(
                      releaseId, certifier, "approve", signature, Sha256.of(statement), null);
                }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (var result : results) {
        statuses.add(result.get().status());
      }
      return statuses;
    }
  }

  public JsonNode release(String releaseId) {
    Http.Response response = http.get("/api/v1/releases/" + releaseId, adminToken);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  /** Two small generated artifacts. */
  public static Map<String, byte[]> artifacts(String seed) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("system.img", generated(seed + "-system", 64 * 1024));
    files.put("boot.img", generated(seed + "-boot", 8 * 1024));
    return files;
  }

  public static byte[] generated(String seed, int size) {
    byte[] out = new byte[size];
    byte[] block = Sha256.of(seed.getBytes(StandardCharsets.UTF_8)).bytes();
    for (int i = 0; i < size; i++) {
      if (i % 32 == 0 && i > 0) {
        block = Sha256.of(block).bytes();
      }
      out[i] = block[i % 32];
    }
    return out;
  }

  public static List<String> names(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get(field).asText()));
    return out;
  }
}
