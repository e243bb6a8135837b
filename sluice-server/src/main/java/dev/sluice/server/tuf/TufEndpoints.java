package dev.sluice.server.tuf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.ReasonRequest;
import dev.sluice.api.WireJson;
import dev.sluice.core.SluiceException;
import dev.sluice.core.auth.Principal;
import dev.sluice.core.auth.Role;
import dev.sluice.core.blob.BlobStore;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.publication.PublicationService;
import dev.sluice.core.release.ReleaseId;
import dev.sluice.core.tuf.TufRepository;
import dev.sluice.core.tuf.TufStatus;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Router;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.TargetFile;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TUF repository over HTTP. Public and read-only at {@code /tuf/}: {@code N.root.json}, {@code
 * timestamp.json}, {@code N.snapshot.json}, {@code N.targets.json}, {@code N.<product>.json} and
 * target files at {@code targets/<product>/<version>/<sha256>.<name>}; versioned files are
 * immutable and cached for a year, {@code timestamp.json} briefly. Management at {@code
 * /api/v1/tuf/} (keys, root upload, status; admin) and {@code /api/v1/releases/{id}/publish|revoke}
 * (admin, release-manager).
 */
public final class TufEndpoints {
  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  static final String TIMESTAMP_CACHE = "public, max-age=30";
  private static final int ROOT_LIMIT = 512 * 1024;
  private static final Pattern TARGET =
      Pattern.compile("targets/([^/]+)/([^/]+)/([0-9a-f]{64})\\.([^/]+)");

  private final Transactions transactions;
  private final TufRepository tuf;
  private final PublicationService<?> publications;
  private final BlobStore blobs;

  public TufEndpoints(
      Transactions transactions,
      TufRepository tuf,
      PublicationService<?> publications,
      BlobStore blobs) {
    this.transactions = transactions;
    this.tuf = tuf;
    this.publications = publications;
    this.blobs = blobs;
  }

  public void register(Router router) {
    router
        .getPrefix("/tuf/", Access.publicRead(), this::file)
        .produces("application/json", "application/octet-stream");
    router.get("/api/v1/tuf/keys", Access.role(Role.ADMIN), this::keys);
    router.post("/api/v1/tuf/root", Access.role(Role.ADMIN), this::uploadRoot);
    router.get(
        "/api/v1/tuf/status",
        Access.role(Role.ADMIN, Role.RELEASE_MANAGER, Role.AUDITOR),
        this::status);
    router.post(
        "/api/v1/releases/{id}/publish",
        Access.role(Role.ADMIN, Role.RELEASE_MANAGER),
        this::publish);
    router.post(
        "/api/v1/releases/{id}/revoke",
        Access.role(Role.ADMIN, Role.RELEASE_MANAGER),
        this::revoke);
  }

  private void file(Call call) throws IOException {
    String name = call.exchange().getRequestPath().substring("/tuf/".length());
    Matcher target = TARGET.matcher(name);
    if (target.matches()) {
      target(call, target);
      return;
    }
    Optional<byte[]> bytes = transactions.read(repos -> tuf.reader().metadataFile(repos, name));
    if (bytes.isEmpty()) {
      throw new SluiceException.NotFound("TUF file", name);
    }
    call.cacheable(
        "application/json",
        bytes.get(),
        name.equals("timestamp.json") ? TIMESTAMP_CACHE : IMMUTABLE);
  }

  private void target(Call call, Matcher m) throws IOException {
    Sha256 sha256 = new Sha256(m.group(3));
    String name = m.group(0);
    Optional<TargetFile> file =
        transactions.read(
            repos -> tuf.reader().currentTarget(repos, m.group(1), m.group(2), sha256, m.group(4)));
    if (file.isEmpty()) {
      throw new SluiceException.NotFound("TUF target", name);
    }
    blobs.verify(sha256);
    call.header("Cache-Control", IMMUTABLE);
    call.stream(200, "application/octet-stream", file.get().length(), blobs.open(sha256));
  }

  private void keys(Call call) throws IOException {
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    tuf.roots()
        .onlineKeys()
        .forEach(
            (type, key) -> {
              ObjectNode k = body.putObject(type.typeName());
              k.put("keyid", key.keyId());
              k.set("key", key.toTufJson());
            });
    call.json(200, body);
  }

  private void uploadRoot(Call call) throws IOException {
    byte[] bytes = call.bodyBytes(ROOT_LIMIT);
    // The root must list the online keys: open (or create) them outside the transaction.
    tuf.prepareKeys(java.util.Optional.empty(), false);
    Root root = transactions.write(repos -> tuf.roots().install(repos, bytes));
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    body.put("version", root.version());
    body.put("expires", root.expires().toString());
    call.json(201, body);
  }

  private void status(Call call) throws IOException {
    TufStatus status = transactions.read(tuf.reader()::status);
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    ArrayNode roles = body.putArray("roles");
    for (TufStatus.RoleStatus r : status.roles()) {
      ObjectNode role = roles.addObject();
      role.put("role", r.role());
      role.put("version", r.version());
      role.put("expires", r.expires().toString());
      ArrayNode ids = role.putArray("keyids");
      r.keyIds().forEach(ids::add);
      role.put("threshold", r.threshold());
      role.put("signing", r.offline() ? "offline" : "online");
      if (r.pendingVersion().isPresent()) {
        role.put("pending_version", r.pendingVersion().getAsLong());
      }
    }
    // Targets whose blob failed verification are not served (503): say so where operators look.
    ArrayNode corrupted = body.putArray("corrupted_blobs");
    blobs.corrupted().stream().map(Sha256::hex).sorted().forEach(corrupted::add);
    call.json(200, body);
  }

  private void publish(Call call) throws IOException {
    Principal actor = call.principal();
    respond(call, publications.publish(actor, releaseId(call)));
  }

  private void revoke(Call call) throws IOException {
    Principal actor = call.principal();
    ReleaseId id = releaseId(call);
    String reason =
        dev.sluice.core.Text.line(
            "reason",
            Objects.requireNonNullElse(call.body(ReasonRequest.class, 16 * 1024).reason(), ""),
            dev.sluice.core.Text.MAX_REASON);
    respond(call, publications.revoke(actor, id, reason));
  }

  private static ReleaseId releaseId(Call call) {
    String id = call.path("id");
    try {
      return new ReleaseId(id);
    } catch (IllegalArgumentException e) {
      throw new SluiceException.NotFound("release", id);
    }
  }

  private static void respond(Call call, PublicationService.Outcome outcome) throws IOException {
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    body.put("release_id", outcome.releaseId().value());
    body.put("kind", outcome.kind().wireName());
    body.put("log_index", outcome.logIndex());
    body.put("leaf_hash", outcome.leafHashHex());
    if (outcome.awaiting().isPresent()) {
      PublicationService.AwaitedSignature a = outcome.awaiting().get();
      body.put("state", "awaiting_signature");
      ObjectNode awaiting = body.putObject("awaiting");
      awaiting.put("role", a.role());
      awaiting.put("version", a.version());
      awaiting.put("key_id", a.keyId());
      awaiting.put("signed_sha256", a.signedSha256());
      call.json(202, body);
      return;
    }
    body.put("state", "done");
    call.json(200, body);
  }
}
