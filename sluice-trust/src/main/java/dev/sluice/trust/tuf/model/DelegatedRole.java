package dev.sluice.trust.tuf.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One entry of {@code delegations.roles} (TUF 1.0 §4.6): a named role, its keys and threshold, the
 * target paths it is trusted for, and whether the search stops with it ({@code terminating}).
 */
public record DelegatedRole(String name, RoleKeys keys, TargetPaths paths, boolean terminating) {
  public DelegatedRole {
    Checks.roleName(name);
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(paths, "paths");
  }

  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("name", name);
    keys.writeTo(json);
    switch (paths) {
      case TargetPaths.Patterns p -> p.patterns().forEach(json.putArray("paths")::add);
      case TargetPaths.HashPrefixes h ->
          h.prefixes().forEach(json.putArray("path_hash_prefixes")::add);
    }
    json.put("terminating", terminating);
    return json;
  }

  static DelegatedRole fromJson(JsonNode json) {
    Json.object(json, "a delegated role");
    boolean hasPaths = json.has("paths");
    // TUF 1.0 §4.6: exactly one of "paths" and "path_hash_prefixes".
    if (hasPaths == json.has("path_hash_prefixes")) {
      throw new IllegalArgumentException(
          "a delegated role has exactly one of \"paths\" and \"path_hash_prefixes\"");
    }
    TargetPaths paths =
        hasPaths
            ? new TargetPaths.Patterns(Json.strings(json, "paths"))
            : new TargetPaths.HashPrefixes(Json.strings(json, "path_hash_prefixes"));
    return new DelegatedRole(
        Json.string(json, "name"),
        RoleKeys.fromJson(json),
        paths,
        Json.bool(Json.field(json, "terminating"), "terminating"));
  }
}
