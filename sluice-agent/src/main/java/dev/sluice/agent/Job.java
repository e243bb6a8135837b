package dev.sluice.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The update the agent is working on ({@code job.json}): the DDI action, the verified target and
 * how far it got. It is written before each phase starts, so a restarted agent resumes where it
 * stood.
 *
 * @param firstSeen when the agent first verified the offer (the start of a {@code defer:N} delay)
 */
public record Job(
    String actionId,
    VerifiedTarget target,
    Phase phase,
    Instant firstSeen,
    boolean securityUpdate,
    Optional<String> previousVersion,
    Optional<String> failure) {

  /** How far the job got; each phase is entered only after the previous one completed. */
  public enum Phase {
    /** Verified, waiting for the owner's policy (approval, deferral). */
    WAITING,
    /** Downloading into the partial file. */
    DOWNLOADING,
    /** Writing the verified image into the inactive slot. */
    INSTALLING,
    /** The slot is written and marked pending; the next agent start is the boot into it. */
    INSTALLED
  }

  public Job {
    Objects.requireNonNull(actionId, "actionId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(previousVersion, "previousVersion");
    Objects.requireNonNull(failure, "failure");
  }

  public Job withPhase(Phase next) {
    return new Job(actionId, target, next, firstSeen, securityUpdate, previousVersion, failure);
  }

  /** The new slot was given up for {@code reason}; to be reported. */
  public Job withFailure(String reason) {
    return new Job(
        actionId, target, phase, firstSeen, securityUpdate, previousVersion, Optional.of(reason));
  }

  JsonNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("format", "sluice.agent-job/v1");
    json.put("action_id", actionId);
    json.put("phase", phase.name().toLowerCase(java.util.Locale.ROOT));
    json.put("first_seen", firstSeen.toString());
    json.put("security_update", securityUpdate);
    previousVersion.ifPresent(v -> json.put("previous_version", v));
    failure.ifPresent(f -> json.put("failure", f));
    ObjectNode t = json.putObject("target");
    t.put("product", target.product());
    t.put("version", target.version().value());
    t.put("file", target.file());
    t.put("sha256", target.sha256().hex());
    t.put("length", target.length());
    t.put("log_index", target.logIndex());
    t.put("release_id", target.releaseId());
    target.manifestSha256().ifPresent(m -> t.put("manifest_sha256", m.hex()));
    return json;
  }

  static Job fromJson(JsonNode json) {
    JsonNode t = json.get("target");
    VerifiedTarget target =
        new VerifiedTarget(
            t.get("product").asText(),
            new ReleaseVersion(t.get("version").asText()),
            t.get("file").asText(),
            Sha256.parse(t.get("sha256").asText()),
            t.get("length").asLong(),
            t.get("log_index").asLong(),
            t.get("release_id").asText(),
            t.hasNonNull("manifest_sha256")
                ? Optional.of(Sha256.parse(t.get("manifest_sha256").asText()))
                : Optional.empty());
    return new Job(
        json.get("action_id").asText(),
        target,
        Phase.valueOf(json.get("phase").asText().toUpperCase(java.util.Locale.ROOT)),
        Instant.parse(json.get("first_seen").asText()),
        json.get("security_update").asBoolean(),
        json.hasNonNull("previous_version")
            ? Optional.of(json.get("previous_version").asText())
            : Optional.empty(),
        json.hasNonNull("failure") ? Optional.of(json.get("failure").asText()) : Optional.empty());
  }
}
