package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.Pipeline;
import dev.sluice.server.testing.RunningServer;
import dev.sluice.server.testing.Tuf;
import dev.sluice.store.blob.FileBlobStore;
import dev.sluice.store.db.Database;
import dev.sluice.store.maintenance.DataCheck;
import dev.sluice.trust.hash.Sha256;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Correcting mistakes over HTTP (issue 13): drafts are deleted and their blobs collected, a draft's
 * artifact replaced, an oversized upload refused from its Content-Length, products and certifiers
 * updated; what was signed or published stays. Every change is in the audit trail.
 */
class LifecycleHttpTest {
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
    assertThat(p.createProduct(PRODUCT, 2, 1 << 20).status()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    running.close();
  }

  @Test
  void aDeletedDraftIsGoneAuditedAndItsBlobsAreCollected() throws Exception {
    Map<String, byte[]> files = Pipeline.artifacts("draft");
    String id = p.draft(PRODUCT, "1.0.0", Pipeline.manifest(PRODUCT, "1.0.0", files), files);
    assertThat(blobDigests()).hasSize(files.size());

    Http.Response deleted = delete("/api/v1/releases/" + id, p.adminToken);
    assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
    assertThat(http.get("/api/v1/releases/" + id, p.adminToken).status()).isEqualTo(404);
    assertThat(audit("release/" + id)).contains("release.deleted");

    List<dev.sluice.store.blob.ManagedBlobStore.Entry> removed = collectGarbage();
    assertThat(removed).hasSize(files.size());
    assertThat(blobDigests()).isEmpty();
    // The version is free again: a corrected release can take it.
    assertThat(
            p.createRelease(PRODUCT, "1.0.0", Pipeline.manifest(PRODUCT, "1.0.0", files)).status())
        .isEqualTo(201);
  }

  @Test
  void aCheckedOrPublishedReleaseCannotBeDeleted() {
    Tuf.init(p, Tuf.rootKeys(3));
    String certified = Tuf.certified(p, PRODUCT, "1.0.0", Pipeline.artifacts("kept"));
    Http.Response refused = delete("/api/v1/releases/" + certified, p.adminToken);
    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.json().get("detail").asText()).contains("only a DRAFT");

    assertThat(Tuf.publish(p, certified).status()).isEqualTo(200);
    Http.Response published = delete("/api/v1/releases/" + certified, p.adminToken);
    assertThat(published.status()).isEqualTo(409);
    assertThat(p.release(certified).get("state").asText()).isEqualTo("published");
    assertThat(audit("release/" + certified)).doesNotContain("release.deleted");
  }

  @Test
  void deletionNeedsTheRightRoleAndAnExistingRelease() {
    Map<String, byte[]> files = Pipeline.artifacts("roles");
    String id = p.draft(PRODUCT, "1.0.0", Pipeline.manifest(PRODUCT, "1.0.0", files), files);
    String operator = p.token("operator", "ops", null);
    assertThat(delete("/api/v1/releases/" + id, operator).status()).isEqualTo(403);
    assertThat(delete("/api/v1/releases/" + id, null).status()).isEqualTo(401);
    assertThat(delete("/api/v1/releases/rel_nosuchrelease", p.adminToken).status()).isEqualTo(404);
    assertThat(p.release(id).get("state").asText()).isEqualTo("draft");
  }

  @Test
  void aDraftsArtifactIsReplacedOnlyWhenAskedAndTheReplacementIsAudited() throws Exception {
    byte[] first = Pipeline.generated("v1", 2048);
    Map<String, byte[]> files = Map.of("rootfs.img", first);
    String id = p.draft(PRODUCT, "1.0.0", Pipeline.manifest(PRODUCT, "1.0.0", files), files);

    Http.Response again = p.upload(id, "rootfs.img", first);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("detail").asText()).contains("replace");

    Http.Response replaced =
        http.put(
            "/api/v1/releases/" + id + "/artifacts/rootfs.img?replace=true",
            p.adminToken,
            first,
            Map.of("Sluice-Sha256", Sha256.of(first).hex()));
    assertThat(replaced.status()).as(replaced.text()).isEqualTo(201);
    assertThat(audit("release/" + id)).contains("release.artifact-replaced");

    Http.Response bad =
        http.put(
            "/api/v1/releases/" + id + "/artifacts/rootfs.img?replace=maybe",
            p.adminToken,
            first,
            Map.of());
    assertThat(bad.status()).isEqualTo(400);

    Tuf.init(p, Tuf.rootKeys(3));
    assertThat(p.check(id).json().get("state").asText()).isEqualTo("checked");
    Http.Response afterCheck =
        http.put(
            "/api/v1/releases/" + id + "/artifacts/rootfs.img?replace=true",
            p.adminToken,
            first,
            Map.of());
    assertThat(afterCheck.status()).isEqualTo(409);
    assertThat(afterCheck.json().get("detail").asText()).contains("DRAFT");
  }

  @Test
  void anUploadOverItsLimitIsRefusedFromItsContentLengthBeforeAnyByteIsStored() throws Exception {
    byte[] content = Pipeline.generated("big", 4096);
    Map<String, byte[]> files = Map.of("rootfs.img", content);
    Http.Response created =
        p.createRelease(PRODUCT, "1.0.0", Pipeline.manifest(PRODUCT, "1.0.0", files));
    String id = created.json().get("id").asText();

    // Headers only: the answer comes without the client sending a byte of the body.
    String answer = headersOnlyUpload(id, "rootfs.img", 5L << 30);
    assertThat(answer).startsWith("HTTP/1.1 413");
    assertThat(answer).contains("Content-Length").contains("nothing was stored");
    assertThat(blobDigests()).isEmpty();

    // The product's own limit, lowered below the manifest's size after the release was created.
    ObjectNode lower = Http.object().put("max_artifact_size", 1024);
    assertThat(patch("/api/v1/products/" + PRODUCT + "/settings", lower).status()).isEqualTo(200);
    String overProduct = headersOnlyUpload(id, "rootfs.img", content.length);
    assertThat(overProduct).startsWith("HTTP/1.1 413").contains("limit of 1024 bytes");
    assertThat(blobDigests()).isEmpty();
  }

  @Test
  void aProductsDescriptionLimitAndStandardsAreUpdatedAndAudited() {
    ObjectNode change = Http.object();
    change.put("description", "The phone, second edition");
    change.put("max_artifact_size", 2 << 20);
    ObjectNode standard = change.putArray("standards").addObject();
    standard.put("id", "has-components");
    standard.put("title", "A release lists its components");
    standard.put("severity", "error");
    standard.put("expression", "size(manifest.components) > 0");
    standard.put("message", "the manifest lists no component");
    Http.Response updated = patch("/api/v1/products/" + PRODUCT + "/settings", change);
    assertThat(updated.status()).as(updated.text()).isEqualTo(200);
    JsonNode product = http.get("/api/v1/products/" + PRODUCT, p.adminToken).json();
    assertThat(product.get("description").asText()).isEqualTo("The phone, second edition");
    assertThat(product.get("max_artifact_size").asLong()).isEqualTo(2 << 20);
    assertThat(product.at("/standards/version").asInt()).isEqualTo(2);
    assertThat(audit("product/" + PRODUCT)).contains("product.updated");

    // Certifiers and threshold are not settings: only an endorsed policy change moves them.
    Http.Response threshold =
        patch("/api/v1/products/" + PRODUCT + "/settings", Http.object().put("threshold", 1));
    assertThat(threshold.status()).isEqualTo(400);
    assertThat(threshold.json().get("detail").asText()).contains("threshold");
    Http.Response nothing = patch("/api/v1/products/" + PRODUCT + "/settings", Http.object());
    assertThat(nothing.status()).isEqualTo(400);
    assertThat(nothing.json().get("detail").asText()).contains("policy proposal");
    Http.Response tooLarge =
        patch(
            "/api/v1/products/" + PRODUCT + "/settings",
            Http.object().put("max_artifact_size", 1L << 40));
    assertThat(tooLarge.status()).isEqualTo(400);
    String operator = p.token("operator", "ops", null);
    assertThat(
            http.send(
                    http.request("/api/v1/products/" + PRODUCT + "/settings", operator)
                        .method(
                            "PATCH",
                            java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                                Http.json(Http.object().put("description", "x"))))
                        .header("Content-Type", "application/json")
                        .build())
                .status())
        .isEqualTo(403);
  }

  @Test
  void aCertifiersDisplayNameIsUpdatedButNotItsKeys() {
    Http.Response renamed =
        patch("/api/v1/certifiers/lab-1", Http.object().put("display_name", "Lab One GmbH"));
    assertThat(renamed.status()).as(renamed.text()).isEqualTo(200);
    assertThat(renamed.json().get("display_name").asText()).isEqualTo("Lab One GmbH");
    assertThat(audit("certifier/lab-1")).contains("certifier.updated");

    ObjectNode keys = Http.object().put("display_name", "x");
    keys.putArray("keys");
    assertThat(patch("/api/v1/certifiers/lab-1", keys).status()).isEqualTo(400);
    assertThat(patch("/api/v1/certifiers/lab-1", Http.object().put("display_name", "")).status())
        .isEqualTo(400);
    assertThat(patch("/api/v1/certifiers/nobody", Http.object().put("display_name", "x")).status())
        .isEqualTo(404);
  }

  private Http.Response delete(String path, String token) {
    return http.send(http.request(path, token).DELETE().build());
  }

  private Http.Response patch(String path, ObjectNode body) {
    return http.send(
        http.request(path, p.adminToken)
            .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofByteArray(Http.json(body)))
            .header("Content-Type", "application/json")
            .build());
  }

  private List<String> audit(String subject) {
    Http.Response r = http.get("/api/v1/audit?subject=" + subject, p.adminToken);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    List<String> actions = new ArrayList<>();
    r.json().get("events").forEach(e -> actions.add(e.get("action").asText()));
    return actions;
  }

  private List<Sha256> blobDigests() throws Exception {
    return new FileBlobStore(dataDir.resolve("blobs"))
        .list().stream().map(dev.sluice.store.blob.ManagedBlobStore.Entry::digest).toList();
  }

  private List<dev.sluice.store.blob.ManagedBlobStore.Entry> collectGarbage() throws Exception {
    try (Database db =
        Database.open("jdbc:sqlite:" + dataDir.toAbsolutePath().resolve("sluice.db"))) {
      return new DataCheck(db, new FileBlobStore(dataDir.resolve("blobs")))
          .collectGarbage(Duration.ZERO, Instant.now().plusSeconds(60));
    }
  }

  /** Sends a PUT's headers declaring {@code length} bytes, no body, and reads the answer. */
  private String headersOnlyUpload(String id, String name, long length) throws Exception {
    try (Socket socket = new Socket(http.base().getHost(), http.base().getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("PUT /api/v1/releases/"
                  + id
                  + "/artifacts/"
                  + name
                  + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + p.adminToken
                  + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                  + length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
      int headerEnd = -1;
      while (headerEnd < 0) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        answer.write(b);
        String sofar = answer.toString(StandardCharsets.ISO_8859_1);
        headerEnd = sofar.indexOf("\r\n\r\n");
      }
      String head = answer.toString(StandardCharsets.ISO_8859_1);
      java.util.regex.Matcher declared =
          java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
      if (declared.find()) {
        answer.write(in.readNBytes(Integer.parseInt(declared.group(1))));
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }
}
