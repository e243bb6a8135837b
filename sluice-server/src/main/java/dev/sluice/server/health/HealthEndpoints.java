package dev.sluice.server.health;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.core.SluiceException;
import dev.sluice.server.api.Authenticator;
import dev.sluice.server.http.Access;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Router;
import dev.sluice.server.http.StorageHealth;
import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/health} (always 200 once the server listens: the process is up and answering;
 * {@code status} is {@code ok} or {@code degraded}) and {@code /api/v1/ready} (200 when the server
 * can serve everything; 503 while the disk is full, since nothing can be stored, and while a start
 * is being finished: the transparency log waiting for its key, the TUF online keys being opened).
 * Both answer without a token with the status alone: what is wrong (a full disk since when, the
 * digests of corrupted blobs) is for operators, listed only to a caller with a valid API token of
 * any role (and in {@code sluice tuf status}).
 */
public final class HealthEndpoints {
  public static final String HEALTH = "/api/v1/health";
  public static final String READY = "/api/v1/ready";
  private static final int LISTED_BLOBS = 20;

  private final StorageHealth storage;
  private final Authenticator authenticator;
  private final List<ReadinessCheck> checks;

  /**
   * @param checks what is done after the server listens: it is not ready until each is
   */
  public HealthEndpoints(
      StorageHealth storage, Authenticator authenticator, List<ReadinessCheck> checks) {
    this.storage = storage;
    this.authenticator = authenticator;
    this.checks = List.copyOf(checks);
  }

  public void register(Router router) {
    router.get(HEALTH, Access.publicRead(), this::health);
    router.get(READY, Access.publicRead(), this::ready);
  }

  private void health(Call call) throws IOException {
    call.json(200, forCaller(call, report()));
  }

  private void ready(Call call) throws IOException {
    ObjectNode full = report();
    boolean ready = storage.diskFullSince().isEmpty();
    for (ReadinessCheck check : checks) {
      Optional<String> notReady = check.notReady().get();
      if (notReady.isPresent()) {
        ready = false;
        ArrayNode problems =
            full.get("problems") instanceof ArrayNode listed ? listed : full.putArray("problems");
        problems.addObject().put("kind", check.kind()).put("detail", notReady.get());
      }
    }
    ObjectNode report = forCaller(call, full);
    report.put("ready", ready);
    call.json(ready ? 200 : 503, report);
  }

  /**
   * The whole report for a caller with a valid API token, the status alone otherwise (a probe with
   * a stale or foreign token still learns whether the server is up).
   */
  private ObjectNode forCaller(Call call, ObjectNode report) {
    if (call.header("Authorization").isPresent()) {
      try {
        authenticator.principal(call);
        return report;
      } catch (SluiceException.Unauthenticated e) {
        // Answered as to anyone.
      }
    }
    ObjectNode status = WireJson.MAPPER.createObjectNode();
    status.set("status", report.get("status"));
    return status;
  }

  private ObjectNode report() {
    ObjectNode body = WireJson.MAPPER.createObjectNode();
    ArrayNode problems = WireJson.MAPPER.createArrayNode();
    Optional<Instant> diskFull = storage.diskFullSince();
    diskFull.ifPresent(
        since ->
            problems
                .addObject()
                .put("kind", "disk_full")
                .put("since", since.toString())
                .put("detail", "the data directory's disk is full: uploads and writes fail (507)"));
    Set<Sha256> corrupted = storage.corruptedBlobs();
    if (!corrupted.isEmpty()) {
      ObjectNode problem =
          problems
              .addObject()
              .put("kind", "corrupted_blobs")
              .put("count", corrupted.size())
              .put(
                  "detail",
                  "stored artifacts failed SHA-256 verification and are not served (503);"
                      + " run sluice fsck and restore them");
      ArrayNode list = problem.putArray("blobs");
      corrupted.stream().map(Sha256::hex).sorted().limit(LISTED_BLOBS).forEach(list::add);
    }
    body.put("status", problems.isEmpty() ? "ok" : "degraded");
    if (!problems.isEmpty()) {
      body.set("problems", problems);
    }
    return body;
  }
}
