package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.ReasonRequest;
import dev.sluice.api.WireJson;
import dev.sluice.api.auth.IssueTokenRequest;
import dev.sluice.api.catalog.AddCertifierKeyRequest;
import dev.sluice.api.catalog.CreateProductRequest;
import dev.sluice.api.catalog.Endorsement;
import dev.sluice.api.catalog.ProposePolicyRequest;
import dev.sluice.api.catalog.RegisterCertifierRequest;
import dev.sluice.api.catalog.RevokeCertifierKeyRequest;
import dev.sluice.api.catalog.SignPolicyRequest;
import dev.sluice.api.catalog.UpdateCertifierRequest;
import dev.sluice.api.catalog.UpdateProductRequest;
import dev.sluice.api.ddi.AssignActionRequest;
import dev.sluice.api.device.DeviceCount;
import dev.sluice.api.device.RegisterDeviceRequest;
import dev.sluice.api.device.RotateTokensRequest;
import dev.sluice.api.device.TagDeviceRequest;
import dev.sluice.api.release.ArtifactView;
import dev.sluice.api.release.StatusNoteRequest;
import dev.sluice.api.rollout.RolloutRequest;
import dev.sluice.api.tuf.OfflineSignatureRequest;
import dev.sluice.api.tuf.TargetsKeyRequest;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A typed client for the Sluice management API v1 ({@code /api/v1}). Every {@code sluice} command
 * and the demo talk to the server through it. A refusal arrives as {@link ApiException} with the
 * server's problem document, an unreachable server as {@link ServerUnreachableException}, any other
 * broken exchange as {@link TransportException}. Private keys never pass through it: sign-off
 * requests are signed before they reach {@link #signOff}.
 */
public final class SluiceClient implements AutoCloseable {
  /** Where {@code sluice serve} listens by default. */
  public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

  /** Bulk registrations and rotations of up to 100,000 devices take longer than a call. */
  private static final Duration BULK_TIMEOUT = Duration.ofMinutes(10);

  /**
   * How long an upload's answer may take to begin or continue once the body is sent: the server
   * hashes, syncs and records the artifact first.
   */
  private static final Duration UPLOAD_ANSWER_TIMEOUT = Duration.ofMinutes(10);

  private static final String JSON = "application/json";

  private final URI server;
  private final Optional<String> token;
  private final HttpClient http;

  /**
   * @param server the server's base URL, e.g. {@code http://127.0.0.1:8080}
   * @param token the bearer token, if the calls need one
   * @throws IllegalArgumentException if {@code server} is not an absolute http(s) URL
   */
  public SluiceClient(URI server, Optional<String> token) {
    Objects.requireNonNull(server, "server");
    String scheme = server.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || server.getHost() == null) {
      throw new IllegalArgumentException(
          "the server URL must look like http://HOST:PORT, got '" + server + "'");
    }
    String text = server.toString();
    this.server = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.token = Objects.requireNonNull(token, "token").filter(t -> !t.isBlank());
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public URI server() {
    return server;
  }

  /** {@code GET /api/v1/health}; needs no token. */
  public JsonNode health() {
    return json(send(get("/api/v1/health")));
  }

  /**
   * Assigns a release to one device ({@code POST /api/v1/devices/{id}/actions}); returns the
   * action.
   */
  public JsonNode assign(
      String device,
      String releaseId,
      String type,
      Optional<String> forcedAt,
      Optional<String> confirmation) {
    AssignActionRequest body =
        new AssignActionRequest(
            releaseId, type, forcedAt.orElse(null), confirmation.orElse(null), null, null);
    return json(send(post("/api/v1/devices/" + segment(device) + "/actions", body)));
  }

  /** The device's actions, newest first ({@code {"actions":[...]}}). */
  public JsonNode deviceActions(String device) {
    return json(send(get("/api/v1/devices/" + segment(device) + "/actions")));
  }

  /** What the device reported about one action, oldest first ({@code {"feedback":[...]}}). */
  public JsonNode actionFeedback(String device, long action) {
    return json(
        send(get("/api/v1/devices/" + segment(device) + "/actions/" + action + "/feedback")));
  }

  /** Who the token speaks for: {@code {"name","role","certifier"?}}. */
  public JsonNode whoami() {
    return json(send(get("/api/v1/whoami")));
  }

  public IssuedToken createToken(String role, String label, Optional<String> certifier) {
    return createToken(role, label, certifier, Optional.empty());
  }

  /** Creates a token; a device-gateway token names its product. */
  public IssuedToken createToken(
      String role, String label, Optional<String> certifier, Optional<String> product) {
    return createToken(role, label, certifier, product, Optional.empty());
  }

  /** Creates a token that stops working at {@code expiresAt} (RFC 3339), if given. */
  public IssuedToken createToken(
      String role,
      String label,
      Optional<String> certifier,
      Optional<String> product,
      Optional<String> expiresAt) {
    IssueTokenRequest body =
        new IssueTokenRequest(
            role, label, certifier.orElse(null), product.orElse(null), expiresAt.orElse(null));
    return new IssuedToken(json(send(post("/api/v1/tokens", body))));
  }

  /** {@code GET /api/v1/tokens}: a page of tokens (never their secrets), oldest first. */
  public Pager.Page<JsonNode, String> tokens(Optional<String> after, int limit) {
    return page("/api/v1/tokens", "tokens", item -> item, after, limit);
  }

  /**
   * One page of a keyset-paged list: {@code GET path?after=…&limit=…}, the array under {@code
   * field} mapped item by item, and the cursor of the page after it.
   */
  private <T> Pager.Page<T, String> page(
      String path,
      String field,
      java.util.function.Function<JsonNode, T> item,
      Optional<String> after,
      int limit) {
    return page(path, new Query(), field, item, after, limit);
  }

  /** {@link #page(String, String, java.util.function.Function, Optional, int)} with filters. */
  private <T> Pager.Page<T, String> page(
      String path,
      Query filters,
      String field,
      java.util.function.Function<JsonNode, T> item,
      Optional<String> after,
      int limit) {
    JsonNode list =
        json(send(get(path + filters.add("after", after).add("limit", Optional.of(limit)))));
    return new Pager.Page<>(Answers.elements(list, field).stream().map(item).toList(), next(list));
  }

  /** {@code POST /api/v1/tokens/ID/revoke}. */
  public JsonNode revokeToken(String id) {
    return json(
        send(
            post(
                "/api/v1/tokens/" + segment(id) + "/revoke",
                JsonNodeFactory.instance.objectNode())));
  }

  /** {@code POST /api/v1/devices/ID/token/rotate}: the new target token, shown once. */
  public JsonNode rotateDeviceToken(String controllerId) {
    return json(
        send(
            post(
                "/api/v1/devices/" + segment(controllerId) + "/token/rotate",
                JsonNodeFactory.instance.objectNode())));
  }

  /** {@code POST /api/v1/devices/ID/token/revoke}. */
  public JsonNode revokeDeviceToken(String controllerId) {
    return json(
        send(
            post(
                "/api/v1/devices/" + segment(controllerId) + "/token/revoke",
                JsonNodeFactory.instance.objectNode())));
  }

  /** {@code POST /api/v1/devices/ID/decommission}. */
  public Device decommissionDevice(String controllerId) {
    return new Device(
        json(
            send(
                post(
                    "/api/v1/devices/" + segment(controllerId) + "/decommission",
                    JsonNodeFactory.instance.objectNode()))));
  }

  /** {@code POST /api/v1/devices/rotate-tokens}: new tokens for the devices the filter selects. */
  public JsonNode rotateDeviceTokens(String filter, Optional<String> product) {
    RotateTokensRequest body = new RotateTokensRequest(filter, product.orElse(null));
    return json(send(post("/api/v1/devices/rotate-tokens", body).timeout(BULK_TIMEOUT)));
  }

  public Certifier createCertifier(String id, String displayName, List<VerificationKey> keys) {
    RegisterCertifierRequest body =
        new RegisterCertifierRequest(
            id, displayName, keys.stream().map(k -> (JsonNode) k.toTufJson()).toList());
    return new Certifier(json(send(post("/api/v1/certifiers", body))));
  }

  /** Every certifier, in id order, read page by page. */
  public List<Certifier> certifiers() {
    return Pager.<Certifier, String>all(this::certifiers);
  }

  /** {@code GET /api/v1/certifiers}: a page of certifiers in id order. */
  public Pager.Page<Certifier, String> certifiers(Optional<String> after, int limit) {
    return page("/api/v1/certifiers", "certifiers", Certifier::new, after, limit);
  }

  public Certifier certifier(String id) {
    return new Certifier(json(send(get("/api/v1/certifiers/" + segment(id)))));
  }

  /** Adds a key, endorsed by a signature over the key change by one of the certifier's keys. */
  public Certifier addCertifierKey(
      String id, VerificationKey key, String endorsingKeyId, byte[] signature) {
    AddCertifierKeyRequest body =
        new AddCertifierKeyRequest(key.toTufJson(), endorsement(endorsingKeyId, signature));
    return new Certifier(json(send(post("/api/v1/certifiers/" + segment(id) + "/keys", body))));
  }

  /** Revokes a key, endorsed by a signature over the key change by one of the certifier's keys. */
  public Certifier revokeCertifierKey(
      String id, String keyId, String endorsingKeyId, byte[] signature) {
    return new Certifier(
        json(
            send(
                post(
                    "/api/v1/certifiers/" + segment(id) + "/keys/" + segment(keyId) + "/revoke",
                    new RevokeCertifierKeyRequest(endorsement(endorsingKeyId, signature))))));
  }

  private static Endorsement endorsement(String keyId, byte[] signature) {
    return new Endorsement(keyId, java.util.Base64.getEncoder().encodeToString(signature));
  }

  /** {@code POST /api/v1/products/{name}/policy/pending}: proposes a policy change. */
  public JsonNode proposePolicy(
      String product, java.util.OptionalInt threshold, List<String> certifiers) {
    ProposePolicyRequest body =
        new ProposePolicyRequest(
            threshold.isPresent() ? threshold.getAsInt() : null,
            certifiers.isEmpty() ? null : certifiers);
    return json(send(post("/api/v1/products/" + segment(product) + "/policy/pending", body)));
  }

  /** {@code GET .../policy/pending}: the pending proposal and its signatures. */
  public JsonNode pendingPolicy(String product) {
    return json(send(get("/api/v1/products/" + segment(product) + "/policy/pending")));
  }

  /** The exact bytes of the pending policy statement, to sign. */
  public byte[] pendingPolicyStatement(String product) {
    return send(get("/api/v1/products/" + segment(product) + "/policy/pending/statement")).body();
  }

  /** Submits a signature over the pending policy statement. */
  public JsonNode signPolicy(
      String product,
      Optional<String> certifier,
      String keyId,
      byte[] signature,
      Sha256 statementSha256) {
    SignPolicyRequest body =
        new SignPolicyRequest(
            certifier.orElse(null),
            keyId,
            java.util.Base64.getEncoder().encodeToString(signature),
            statementSha256.hex());
    return json(
        send(post("/api/v1/products/" + segment(product) + "/policy/pending/signatures", body)));
  }

  /** {@code GET /api/v1/public/products/{name}/policies}: every policy record (no token needed). */
  public JsonNode publicPolicies(String product) {
    return json(send(get("/api/v1/public/products/" + segment(product) + "/policies")));
  }

  public Product createProduct(CreateProductRequest request) {
    return new Product(json(send(post("/api/v1/products", request))));
  }

  /** {@code PATCH /api/v1/products/{name}/settings}: changes what the body names (admin). */
  public Product updateProduct(String name, UpdateProductRequest changes) {
    return new Product(
        json(send(patch("/api/v1/products/" + segment(name) + "/settings", changes))));
  }

  /** {@code PATCH /api/v1/certifiers/{id}}: a new display name (admin). */
  public Certifier updateCertifier(String id, String displayName) {
    return new Certifier(
        json(
            send(
                patch(
                    "/api/v1/certifiers/" + segment(id),
                    new UpdateCertifierRequest(displayName)))));
  }

  /** {@code DELETE /api/v1/releases/{id}}: deletes a DRAFT release. */
  public void deleteRelease(String releaseId) {
    send(delete("/api/v1/releases/" + segment(releaseId)));
  }

  /** {@code DELETE /api/v1/rollouts/{id}}: deletes a rollout that is over. */
  public void deleteRollout(String id) {
    send(delete("/api/v1/rollouts/" + segment(id)));
  }

  /** Every product, in name order, read page by page. */
  public List<Product> products() {
    return Pager.<Product, String>all(this::products);
  }

  /** {@code GET /api/v1/products}: a page of products in name order. */
  public Pager.Page<Product, String> products(Optional<String> after, int limit) {
    return page("/api/v1/products", "products", Product::new, after, limit);
  }

  public Product product(String name) {
    return new Product(json(send(get("/api/v1/products/" + segment(name)))));
  }

  /** Creates a draft release from the manifest file's exact bytes. */
  public Release createRelease(String product, String version, byte[] manifest) {
    String path = "/api/v1/releases?product=" + segment(product) + "&version=" + segment(version);
    HttpRequest.Builder request =
        request(path)
            .header("Content-Type", JSON)
            .POST(BodyPublishers.ofByteArray(manifest))
            .timeout(CALL_TIMEOUT);
    return new Release(json(send(request)));
  }

  /**
   * Uploads {@code file} as the artifact named by its base name, streamed from disk with its
   * SHA-256 (computed first, also streaming) so the server refuses a corrupted transfer.
   */
  public UploadedArtifact uploadArtifact(String releaseId, Path file) {
    Path name = file.getFileName();
    if (name == null) {
      throw new IllegalArgumentException("an artifact must be a file, got " + file);
    }
    return uploadArtifact(releaseId, name.toString(), file, FileDigest.sha256(file));
  }

  /** Uploads {@code file} as artifact {@code name}, declaring {@code sha256} as its digest. */
  public UploadedArtifact uploadArtifact(String releaseId, String name, Path file, Sha256 sha256) {
    return uploadArtifact(releaseId, name, file, sha256, false);
  }

  /**
   * Uploads {@code file} as artifact {@code name}; with {@code replace}, an artifact the DRAFT
   * already has under that name is replaced.
   */
  public UploadedArtifact uploadArtifact(
      String releaseId, String name, Path file, Sha256 sha256, boolean replace) {
    return uploadArtifact(releaseId, name, file, sha256, replace, bytes -> {});
  }

  /**
   * Uploads {@code file} reading it once: its SHA-256 is computed as the bytes are sent, and
   * compared with the digest the server stored (which the server checked against the manifest's
   * before it kept the bytes). A difference means the file changed while it was sent.
   */
  public UploadedArtifact uploadArtifact(
      String releaseId,
      String name,
      Path file,
      boolean replace,
      java.util.function.LongConsumer sent) {
    java.security.MessageDigest digest;
    try {
      digest = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
    UploadedArtifact artifact =
        putArtifact(releaseId, name, file, replace, Optional.empty(), sent, digest);
    Sha256 local = Sha256.fromBytes(digest.digest());
    if (!Sha256.parse(artifact.sha256()).matches(local)) {
      throw new TransportException(
          "the server stored "
              + name
              + " with sha256 "
              + artifact.sha256()
              + " but the bytes sent had "
              + local
              + ": did "
              + file
              + " change while it was uploaded? Upload it again with --replace");
    }
    return artifact;
  }

  /**
   * {@code PUT /api/v1/releases/ID/artifacts/NAME} with the file as body (declaring {@code sha256}
   * in {@code Sluice-Sha256} if given), reporting and optionally hashing what is sent.
   */
  private UploadedArtifact putArtifact(
      String releaseId,
      String name,
      Path file,
      boolean replace,
      Optional<Sha256> sha256,
      java.util.function.LongConsumer sent,
      java.security.MessageDigest digest) {
    String path =
        "/api/v1/releases/"
            + segment(releaseId)
            + "/artifacts/"
            + segment(name)
            + (replace ? "?replace=true" : "");
    URI url = URI.create(server + path);
    byte[] answer =
        FileUpload.direct(url)
            ? putDirect(url, file, sha256, sent, digest)
            : putThroughJdkClient(path, file, sha256, sent, digest);
    ArtifactView stored =
        Answers.bind(json(url.getPath(), answer), ArtifactView.class, "an artifact");
    return new UploadedArtifact(
        Answers.required(stored.name(), "name", "an artifact"),
        Answers.required(stored.sha256(), "sha256", "an artifact"),
        stored.size());
  }

  /**
   * The upload on a blocking connection of its own ({@link FileUpload}): the default, as it takes
   * less than half the CPU of the JDK client's reactive body path. The answer's failures are the
   * same as {@link #send}'s.
   */
  private byte[] putDirect(
      URI url,
      Path file,
      Optional<Sha256> sha256,
      java.util.function.LongConsumer sent,
      java.security.MessageDigest digest) {
    java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    token.ifPresent(t -> headers.put("Authorization", "Bearer " + t));
    headers.put("Content-Type", "application/octet-stream");
    headers.put("Accept", JSON);
    headers.put("User-Agent", "sluice-cli");
    sha256.ifPresent(declared -> headers.put("Sluice-Sha256", declared.hex()));
    if (digest != null) {
      digest.reset();
    }
    FileUpload.Answer answer;
    try {
      answer =
          FileUpload.put(url, headers, file, sent, digest, CONNECT_TIMEOUT, UPLOAD_ANSWER_TIMEOUT);
    } catch (FileUpload.ConnectFailed e) {
      throw new ServerUnreachableException(server, e.getCause());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UncheckedIOException(e);
    } catch (IOException e) {
      throw new TransportException("PUT " + url.getPath() + " failed: " + describe(e), e);
    }
    if (answer.status() / 100 != 2) {
      throw new ApiException(answer.status(), problem(answer.status(), answer.body()));
    }
    return answer.body();
  }

  /** The upload through the JDK client, when a proxy is configured for the server. */
  private byte[] putThroughJdkClient(
      String path,
      Path file,
      Optional<Sha256> sha256,
      java.util.function.LongConsumer sent,
      java.security.MessageDigest digest) {
    BodyPublisher body;
    try {
      body = CountingBody.of(BodyPublishers.ofFile(file), sent, digest);
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException(new java.nio.file.NoSuchFileException(file.toString()));
    }
    HttpRequest.Builder request =
        request(path)
            .header("Content-Type", "application/octet-stream")
            .header("Accept", JSON)
            .expectContinue(true); // refused on its head: answered before the body goes
    sha256.ifPresent(declared -> request.header("Sluice-Sha256", declared.hex()));
    return send(request.PUT(body)).body();
  }

  /** Like the others, reporting each chunk of the body as it is handed to the connection. */
  public UploadedArtifact uploadArtifact(
      String releaseId,
      String name,
      Path file,
      Sha256 sha256,
      boolean replace,
      java.util.function.LongConsumer sent) {
    UploadedArtifact artifact =
        putArtifact(releaseId, name, file, replace, Optional.of(sha256), sent, null);
    if (!Sha256.parse(artifact.sha256()).matches(sha256)) {
      throw new TransportException(
          "the server stored "
              + name
              + " with sha256 "
              + artifact.sha256()
              + " but the file's is "
              + sha256);
    }
    return artifact;
  }

  /** Runs the product's standards against the release; the answer carries the report. */
  public Release check(String releaseId) {
    return new Release(
        json(
            send(
                request("/api/v1/releases/" + segment(releaseId) + "/check")
                    .POST(BodyPublishers.noBody())
                    .timeout(CALL_TIMEOUT))));
  }

  public Release release(String releaseId) {
    return new Release(json(send(get("/api/v1/releases/" + segment(releaseId)))));
  }

  /** {@code GET /api/v1/releases}: a page of releases, newest first, and the next's cursor. */
  public Pager.Page<Release, String> releases(
      Optional<String> product, Optional<String> state, Optional<String> after, int limit) {
    return releases(product, state, Optional.empty(), Optional.empty(), after, limit);
  }

  /**
   * {@code GET /api/v1/releases} with a {@code filter} (RSQL) and a {@code sort} ({@code created}
   * or {@code -created}), both checked by the server.
   */
  public Pager.Page<Release, String> releases(
      Optional<String> product,
      Optional<String> state,
      Optional<String> filter,
      Optional<String> sort,
      Optional<String> after,
      int limit) {
    Query filters =
        new Query()
            .add("product", product)
            .add("state", state)
            .add("filter", filter)
            .add("sort", sort);
    return page("/api/v1/releases", filters, "releases", Release::new, after, limit);
  }

  /** The manifest exactly as it was uploaded. */
  public byte[] manifest(String releaseId) {
    return send(get("/api/v1/releases/" + segment(releaseId) + "/manifest")).body();
  }

  /** The report as JSON. */
  public Report report(String releaseId) {
    return new Report(json(send(get("/api/v1/releases/" + segment(releaseId) + "/report"))));
  }

  /** The report as the server renders it for people. */
  public String reportText(String releaseId) {
    HttpRequest.Builder request =
        get("/api/v1/releases/" + segment(releaseId) + "/report").header("Accept", "text/plain");
    return new String(send(request).body(), StandardCharsets.UTF_8);
  }

  /**
   * The release statement's exact bytes, checked against the {@code Sluice-Statement-Sha256}
   * header.
   *
   * @throws TransportException if the header is missing or does not match the bytes
   */
  public Statement statement(String releaseId) {
    HttpResponse<byte[]> response =
        send(get("/api/v1/releases/" + segment(releaseId) + "/statement"));
    String declared =
        response
            .headers()
            .firstValue("Sluice-Statement-Sha256")
            .orElseThrow(
                () ->
                    new TransportException(
                        "the server sent the statement without its Sluice-Statement-Sha256"
                            + " header"));
    Sha256 digest;
    try {
      digest = Sha256.parse(declared);
    } catch (IllegalArgumentException e) {
      throw new TransportException("the server's Sluice-Statement-Sha256 is not a digest", e);
    }
    return Statement.verified(response.body(), digest);
  }

  /** Sends a decision that was signed locally. */
  public Release signOff(String releaseId, SignOffRequest request) {
    return new Release(
        json(send(post("/api/v1/releases/" + segment(releaseId) + "/signoffs", request.toWire()))));
  }

  /** Fetches the statement, signs it here with {@code key}, and sends the approval. */
  public Release approve(String releaseId, SigningKey key) {
    return signOff(releaseId, SignOffRequest.approve(statement(releaseId), key));
  }

  /** Fetches the statement, signs a rejection here with {@code key}, and sends it. */
  public Release reject(String releaseId, SigningKey key, String reason) {
    return signOff(releaseId, SignOffRequest.reject(statement(releaseId), key, reason));
  }

  public AuditPage audit(Optional<String> subject, Optional<String> after, OptionalInt limit) {
    return audit(subject, Optional.empty(), Optional.empty(), after, limit);
  }

  /**
   * {@code GET /api/v1/audit} with a {@code filter} (RSQL) and a {@code sort} ({@code at} or {@code
   * -at}, newest first), both checked by the server.
   */
  public AuditPage audit(
      Optional<String> subject,
      Optional<String> filter,
      Optional<String> sort,
      Optional<String> after,
      OptionalInt limit) {
    String path =
        "/api/v1/audit"
            + new Query()
                .add("subject", subject)
                .add("filter", filter)
                .add("sort", sort)
                .add("after", after)
                .add("limit", limit);
    return new AuditPage(json(send(get(path))));
  }

  /** {@code POST /api/v1/devices}; the answer carries the generated token, if one was made. */
  public Device registerDevice(
      String controllerId, String product, List<String> tags, Optional<String> deviceToken) {
    RegisterDeviceRequest body =
        new RegisterDeviceRequest(controllerId, product, tags, deviceToken.orElse(null));
    return new Device(json(send(post("/api/v1/devices", body))));
  }

  /** {@code POST /api/v1/devices/bulk} with a CSV file or a JSON array, all or nothing. */
  public BulkRegistration registerDevices(byte[] file, String contentType) {
    return registerDevices(file, contentType, Optional.empty());
  }

  /**
   * {@code POST /api/v1/devices/bulk} with an {@code Idempotency-Key}: sending the same file with
   * the same key again (after a lost answer) returns the same answer, tokens included.
   */
  public BulkRegistration registerDevices(
      byte[] file, String contentType, Optional<String> idempotencyKey) {
    HttpRequest.Builder request =
        request("/api/v1/devices/bulk")
            .header("Content-Type", contentType)
            .header("Accept", JSON)
            .POST(BodyPublishers.ofByteArray(file))
            .timeout(BULK_TIMEOUT);
    idempotencyKey.ifPresent(k -> request.header("Idempotency-Key", k));
    return new BulkRegistration(json(send(request)));
  }

  /** {@code GET /api/v1/devices}: a page of the devices the filter selects. */
  public DevicePage devices(
      Optional<String> filter,
      Optional<String> product,
      Optional<String> after,
      OptionalInt limit) {
    String path =
        "/api/v1/devices"
            + new Query()
                .add("filter", filter)
                .add("product", product)
                .add("after", after)
                .add("limit", limit);
    return new DevicePage(json(send(get(path))));
  }

  /** {@code GET /api/v1/device-count}. */
  public long countDevices(Optional<String> filter, Optional<String> product) {
    String path =
        "/api/v1/device-count" + new Query().add("filter", filter).add("product", product);
    return Answers.bind(json(send(get(path))), DeviceCount.class, "a device count").count();
  }

  public Device device(String controllerId) {
    return new Device(json(send(get("/api/v1/devices/" + segment(controllerId)))));
  }

  /** {@code POST /api/v1/devices/{id}/tags}. */
  public Device tagDevice(String controllerId, List<String> add, List<String> remove) {
    TagDeviceRequest body = new TagDeviceRequest(add, remove);
    return new Device(json(send(post("/api/v1/devices/" + segment(controllerId) + "/tags", body))));
  }

  /** {@code GET /log/checkpoint}: the signed checkpoint note, exactly as served. */
  public byte[] logCheckpoint() {
    return send(request("/log/checkpoint").GET().timeout(CALL_TIMEOUT)).body();
  }

  /** {@code GET /log/<path>} for a C2SP tlog-tiles path such as {@code tile/0/000.p/5}. */
  public byte[] logTile(String path) {
    return send(request("/log/" + path).GET().timeout(CALL_TIMEOUT)).body();
  }

  /** {@code GET /log/v1/consistency}: {@code {"old_size","tree_size","hashes":[base64...]}}. */
  public JsonNode logConsistency(long oldSize, long treeSize) {
    return json(send(get("/log/v1/consistency?old_size=" + oldSize + "&tree_size=" + treeSize)));
  }

  /** {@code GET /log/v1/key}: the verifier key the server claims (trust it only out of band). */
  public String logKey() {
    return new String(
            send(request("/log/v1/key").GET().timeout(CALL_TIMEOUT)).body(), StandardCharsets.UTF_8)
        .strip();
  }

  /**
   * {@code POST /api/v1/releases/{id}/publish}: {@code {release_id, kind, log_index, leaf_hash}}.
   */
  public JsonNode publish(String releaseId) {
    return json(
        send(
            request("/api/v1/releases/" + segment(releaseId) + "/publish")
                .header("Accept", JSON)
                .POST(BodyPublishers.noBody())
                .timeout(CALL_TIMEOUT)));
  }

  /** {@code PUT /api/v1/releases/{id}/status-note}: the public status note and target date. */
  public JsonNode statusNote(String releaseId, String text, Optional<String> targetDate) {
    return json(
        send(
            put(
                "/api/v1/releases/" + segment(releaseId) + "/status-note",
                new StatusNoteRequest(text, targetDate.orElse(null)))));
  }

  /** {@code POST /api/v1/releases/{id}/revoke} with {@code {"reason"}}. */
  public JsonNode revoke(String releaseId, String reason) {
    return json(
        send(
            post("/api/v1/releases/" + segment(releaseId) + "/revoke", new ReasonRequest(reason))));
  }

  /** {@code GET /api/v1/tuf/keys}: the server's online TUF keys, per role {@code {keyid, key}}. */
  public JsonNode tufKeys() {
    return json(send(get("/api/v1/tuf/keys")));
  }

  /** {@code POST /api/v1/tuf/root}: uploads root metadata signed offline. */
  public JsonNode uploadRoot(byte[] root) {
    return json(
        send(
            request("/api/v1/tuf/root")
                .header("Content-Type", JSON)
                .header("Accept", JSON)
                .POST(BodyPublishers.ofByteArray(root))
                .timeout(CALL_TIMEOUT)));
  }

  /** {@code GET /api/v1/tuf/status}. */
  public JsonNode tufStatus() {
    return json(send(get("/api/v1/tuf/status")));
  }

  /** {@code GET /api/v1/tuf/products/{product}/key}: how the product's role is signed. */
  public JsonNode productKey(String product) {
    return json(send(get("/api/v1/tuf/products/" + segment(product) + "/key")));
  }

  /**
   * {@code PUT /api/v1/tuf/products/{product}/key}: sign the product's role offline with {@code
   * key}, or online again if empty.
   */
  public JsonNode setProductKey(String product, Optional<VerificationKey> key) {
    TargetsKeyRequest body =
        new TargetsKeyRequest(
            key.isPresent() ? "offline" : "online", key.map(k -> k.toTufJson()).orElse(null));
    return json(send(put("/api/v1/tuf/products/" + segment(product) + "/key", body)));
  }

  /** {@code GET /api/v1/tuf/pending}: role metadata waiting for offline signatures. */
  public JsonNode tufPending() {
    return json(send(get("/api/v1/tuf/pending")));
  }

  /** {@code GET /api/v1/tuf/pending/{product}}: the unsigned metadata file, exactly as served. */
  public byte[] tufPendingFile(String product) {
    return send(get("/api/v1/tuf/pending/" + segment(product))).body();
  }

  /** {@code POST /api/v1/tuf/pending/{product}/signature}. */
  public JsonNode submitPendingSignature(
      String product, String keyId, String signatureHex, Sha256 signedSha256) {
    OfflineSignatureRequest body =
        new OfflineSignatureRequest(keyId, signatureHex, signedSha256.hex());
    return json(send(post("/api/v1/tuf/pending/" + segment(product) + "/signature", body)));
  }

  /** {@code GET /tuf/<name>}: a TUF metadata file exactly as served. */
  public byte[] tufFile(String name) {
    return send(request("/tuf/" + name).GET().timeout(CALL_TIMEOUT)).body();
  }

  /** {@code POST /api/v1/rollouts}: creates a rollout from its spec (see docs/rollouts.md). */
  public Rollout createRollout(RolloutRequest spec) {
    return new Rollout(json(send(post("/api/v1/rollouts", spec))));
  }

  /** {@code GET /api/v1/rollouts}: a page of rollouts, newest first, and the next's cursor. */
  public Pager.Page<Rollout, String> rollouts(
      Optional<String> state, Optional<String> after, int limit) {
    return rollouts(state, Optional.empty(), Optional.empty(), after, limit);
  }

  /**
   * {@code GET /api/v1/rollouts} with a {@code filter} (RSQL) and a {@code sort} ({@code created}
   * or {@code -created}), both checked by the server.
   */
  public Pager.Page<Rollout, String> rollouts(
      Optional<String> state,
      Optional<String> filter,
      Optional<String> sort,
      Optional<String> after,
      int limit) {
    Query filters = new Query().add("state", state).add("filter", filter).add("sort", sort);
    return page("/api/v1/rollouts", filters, "rollouts", Rollout::new, after, limit);
  }

  /** A list page's {@code next} cursor, if it names one. */
  private static Optional<String> next(JsonNode list) {
    JsonNode next = list.path("next");
    return next.isTextual() && !next.asText().isEmpty()
        ? Optional.of(next.asText())
        : Optional.empty();
  }

  /** {@code GET /api/v1/rollouts/{id}}: with every stage's counters and the halt reason. */
  public Rollout rollout(String id) {
    return new Rollout(json(send(get("/api/v1/rollouts/" + segment(id)))));
  }

  /** {@code POST /api/v1/rollouts/{id}/{start|pause|resume|approve|cancel}}. */
  public Rollout rolloutAction(String id, String action, Optional<String> reason) {
    ReasonRequest body = new ReasonRequest(reason.orElse(null));
    return new Rollout(
        json(send(post("/api/v1/rollouts/" + segment(id) + "/" + segment(action), body))));
  }

  @Override
  public void close() {
    http.close();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server + path));
    token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
    return builder;
  }

  private HttpRequest.Builder get(String path) {
    return request(path).header("Accept", JSON).GET().timeout(CALL_TIMEOUT);
  }

  private HttpRequest.Builder patch(String path, Object body) {
    return request(path)
        .header("Content-Type", JSON)
        .header("Accept", JSON)
        .method("PATCH", BodyPublishers.ofByteArray(wire(body)))
        .timeout(CALL_TIMEOUT);
  }

  private HttpRequest.Builder put(String path, Object body) {
    return request(path)
        .header("Content-Type", JSON)
        .header("Accept", JSON)
        .PUT(BodyPublishers.ofByteArray(wire(body)))
        .timeout(CALL_TIMEOUT);
  }

  /** A request record of {@code sluice-api} (or a tree) as the bytes sent. */
  private static byte[] wire(Object body) {
    try {
      return WireJson.MAPPER.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a request record could not be written", e);
    }
  }

  private HttpRequest.Builder delete(String path) {
    return request(path).header("Accept", JSON).DELETE().timeout(CALL_TIMEOUT);
  }

  private HttpRequest.Builder post(String path, Object body) {
    return request(path)
        .header("Content-Type", JSON)
        .header("Accept", JSON)
        .POST(BodyPublishers.ofByteArray(wire(body)))
        .timeout(CALL_TIMEOUT);
  }

  /** Sends the request; a 2xx answer is returned, anything else thrown as {@link ApiException}. */
  private HttpResponse<byte[]> send(HttpRequest.Builder builder) {
    HttpRequest request = builder.build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, BodyHandlers.ofByteArray());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new ServerUnreachableException(server, e);
    } catch (IOException e) {
      throw new TransportException(
          request.method() + " " + request.uri().getPath() + " failed: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while waiting for " + server, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new ApiException(response.statusCode(), problem(response));
    }
    return response;
  }

  private static JsonNode problem(HttpResponse<byte[]> response) {
    return problem(response.statusCode(), response.body());
  }

  /** The answer's problem document, or one describing the status if it is not one. */
  private static JsonNode problem(int status, byte[] body) {
    try {
      JsonNode problem = WireJson.MAPPER.readTree(body);
      if (problem != null && problem.isObject()) {
        return problem;
      }
    } catch (IOException e) {
      // Not a problem document (a proxy's HTML page, say): describe the status instead.
    }
    ObjectNode synthetic = JsonNodeFactory.instance.objectNode();
    synthetic.put("title", "HTTP " + status);
    synthetic.put("status", status);
    String text = new String(body, StandardCharsets.UTF_8).strip();
    if (!text.isEmpty()) {
      synthetic.put("detail", text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
    return synthetic;
  }

  private static JsonNode json(HttpResponse<byte[]> response) {
    return json(response.request().uri().getPath(), response.body());
  }

  /** The body of the answer to {@code path} as JSON. */
  private static JsonNode json(String path, byte[] body) {
    try {
      JsonNode json = WireJson.MAPPER.readTree(body);
      if (json == null || json.isMissingNode()) {
        throw new TransportException("the server's answer to " + path + " is empty");
      }
      return json;
    } catch (IOException e) {
      throw new TransportException("the server's answer to " + path + " is not JSON", e);
    }
  }

  private static String describe(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }

  /** A query string of the present parameters, each value percent-encoded: {@code ?a=1&b=2}. */
  private static final class Query {
    private final List<String> parameters = new ArrayList<>();

    Query add(String name, Optional<?> value) {
      value.ifPresent(v -> parameters.add(name + "=" + segment(v.toString())));
      return this;
    }

    Query add(String name, java.util.OptionalInt value) {
      return add(name, value.isPresent() ? Optional.of(value.getAsInt()) : Optional.empty());
    }

    @Override
    public String toString() {
      return parameters.isEmpty() ? "" : "?" + String.join("&", parameters);
    }
  }

  /** Percent-encodes everything but RFC 3986 unreserved characters. */
  static String segment(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
