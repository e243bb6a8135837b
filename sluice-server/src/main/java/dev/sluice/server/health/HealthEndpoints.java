package dev.sluice.server.health;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.http.Call;
import dev.sluice.server.http.Json;
import dev.sluice.server.http.Router;
import dev.sluice.server.http.StorageHealth;
import dev.sluice.trust.hash.Sha256;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/health} (always 200; {@code status} is {@code ok} or {@code degraded} with the
 * problems listed) and {@code /api/v1/ready} (503 while the disk is full: nothing can be stored).
 * Both are public and say nothing about content: only the kind of problem and blob digests.
 */
public final class HealthEndpoints {
  private static final int LISTED_BLOBS = 20;
  private final StorageHealth storage;

  public HealthEndpoints(StorageHealth storage) {
    this.storage = storage;
  }

  public void register(Router router) {
    router.get("/api/v1/health", this::health);
    router.get("/api/v1/ready", this::ready);
  }

  private void health(Call call) throws IOException {
    call.json(200, report());
  }

  private void ready(Call call) throws IOException {
    ObjectNode report = report();
    boolean diskFull = storage.diskFullSince().isPresent();
    report.put("ready", !diskFull);
    call.json(diskFull ? 503 : 200, report);
  }

  private ObjectNode report() {
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode problems = Json.MAPPER.createArrayNode();
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
