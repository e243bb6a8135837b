package dev.sluice.trust.tuf.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Snapshot metadata (TUF 1.0 §4.5): the versions of targets and every delegated targets role, keyed
 * by metadata file name ({@code "targets.json"}, {@code "<role>.json"}). It always lists {@code
 * targets.json}, so mix-and-match of targets metadata is always detectable.
 */
public record Snapshot(
    String specVersion, long version, Instant expires, Map<String, MetaFile> meta)
    implements Signed {
  /** The entry for the top-level targets metadata. */
  public static final String TARGETS_JSON = "targets.json";

  public Snapshot {
    Checks.specVersion(specVersion);
    Checks.version(version);
    Checks.expires(expires);
    TreeMap<String, MetaFile> copy = new TreeMap<>(meta);
    copy.forEach(
        (name, file) -> {
          if (!Checks.unicode(name).endsWith(".json") || name.length() == ".json".length()) {
            throw new IllegalArgumentException("snapshot meta entry " + name + " is not a .json");
          }
          Objects.requireNonNull(file, name);
        });
    if (!copy.containsKey(TARGETS_JSON)) {
      throw new IllegalArgumentException("snapshot meta must list targets.json");
    }
    meta = Collections.unmodifiableMap(copy);
  }

  @Override
  public RoleType type() {
    return RoleType.SNAPSHOT;
  }

  /** The entry of the top-level targets metadata. */
  public MetaFile targetsMeta() {
    return meta.get(TARGETS_JSON);
  }

  /** The entry of a targets role ({@code "targets"} or a delegated role) by role name. */
  public Optional<MetaFile> roleMeta(String roleName) {
    return Optional.ofNullable(meta.get(roleName + ".json"));
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("_type", type().typeName());
    json.put("spec_version", specVersion);
    json.put("version", version);
    json.put("expires", Checks.formatExpires(expires));
    ObjectNode metaJson = json.putObject("meta");
    meta.forEach((name, file) -> metaJson.set(name, file.toJson()));
    return json;
  }

  static Snapshot fromJson(JsonNode json) {
    Json.object(json, "signed");
    Json.type(json, RoleType.SNAPSHOT);
    TreeMap<String, MetaFile> meta = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : Json.objectField(json, "meta").properties()) {
      meta.put(entry.getKey(), MetaFile.fromJson(entry.getValue()));
    }
    return new Snapshot(
        Json.string(json, "spec_version"),
        Json.integer(json, "version"),
        Checks.parseExpires(Json.string(json, "expires")),
        meta);
  }
}
