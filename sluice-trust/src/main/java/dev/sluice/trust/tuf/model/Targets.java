package dev.sluice.trust.tuf.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.key.VerificationKey;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Targets metadata, top-level or delegated (TUF 1.0 §4.6): target files by path, and optional
 * delegations. Every path is relative and '/'-separated with no empty, "." or ".." segment.
 */
public record Targets(
    String specVersion,
    long version,
    Instant expires,
    Map<String, TargetFile> targets,
    Optional<Delegations> delegations)
    implements Signed, Delegator {

  public Targets {
    Checks.specVersion(specVersion);
    Checks.version(version);
    Checks.expires(expires);
    TreeMap<String, TargetFile> copy = new TreeMap<>();
    targets.forEach(
        (path, file) -> copy.put(Checks.targetPath(path), Objects.requireNonNull(file)));
    targets = Collections.unmodifiableMap(copy);
    Objects.requireNonNull(delegations, "delegations");
  }

  @Override
  public RoleType type() {
    return RoleType.TARGETS;
  }

  /** The delegations' keys, or none. */
  @Override
  public Map<String, VerificationKey> keys() {
    return delegations.map(Delegations::keys).orElse(Map.of());
  }

  @Override
  public Optional<RoleKeys> roleKeys(String roleName) {
    return delegations.flatMap(d -> d.role(roleName)).map(DelegatedRole::keys);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("_type", type().typeName());
    json.put("spec_version", specVersion);
    json.put("version", version);
    json.put("expires", Checks.formatExpires(expires));
    ObjectNode targetsJson = json.putObject("targets");
    targets.forEach((path, file) -> targetsJson.set(path, file.toJson()));
    delegations.ifPresent(d -> json.set("delegations", d.toJson()));
    return json;
  }

  static Targets fromJson(JsonNode json) {
    Json.object(json, "signed");
    Json.type(json, RoleType.TARGETS);
    TreeMap<String, TargetFile> targets = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : Json.objectField(json, "targets").properties()) {
      targets.put(entry.getKey(), TargetFile.fromJson(entry.getValue()));
    }
    return new Targets(
        Json.string(json, "spec_version"),
        Json.integer(json, "version"),
        Checks.parseExpires(Json.string(json, "expires")),
        targets,
        Json.optional(json, "delegations").map(Delegations::fromJson));
  }
}
