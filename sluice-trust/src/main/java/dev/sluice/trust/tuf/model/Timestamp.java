package dev.sluice.trust.tuf.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * Timestamp metadata (TUF 1.0 §4.7): the current snapshot's version and, optionally, its length and
 * hash. Its {@code meta} holds exactly {@code "snapshot.json"}.
 */
public record Timestamp(String specVersion, long version, Instant expires, MetaFile snapshotMeta)
    implements Signed {
  /** The one key of a timestamp's {@code meta}. */
  public static final String SNAPSHOT_JSON = "snapshot.json";

  public Timestamp {
    Checks.specVersion(specVersion);
    Checks.version(version);
    Checks.expires(expires);
    Objects.requireNonNull(snapshotMeta, "snapshotMeta");
  }

  @Override
  public RoleType type() {
    return RoleType.TIMESTAMP;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("_type", type().typeName());
    json.put("spec_version", specVersion);
    json.put("version", version);
    json.put("expires", Checks.formatExpires(expires));
    json.putObject("meta").set(SNAPSHOT_JSON, snapshotMeta.toJson());
    return json;
  }

  static Timestamp fromJson(JsonNode json) {
    Json.object(json, "signed");
    Json.type(json, RoleType.TIMESTAMP);
    JsonNode meta = Json.objectField(json, "meta");
    if (meta.size() != 1 || !meta.has(SNAPSHOT_JSON)) {
      throw new IllegalArgumentException("timestamp meta must hold exactly snapshot.json");
    }
    return new Timestamp(
        Json.string(json, "spec_version"),
        Json.integer(json, "version"),
        Checks.parseExpires(Json.string(json, "expires")),
        MetaFile.fromJson(meta.get(SNAPSHOT_JSON)));
  }
}
