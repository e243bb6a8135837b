package dev.sluice.trust.tuf.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.key.VerificationKey;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Root metadata (TUF 1.0 §4.4): the keys and thresholds of all four top-level roles. Every role is
 * present, every key id is its key's own id, and every key id a role lists is among {@link
 * #keys()}, so a root that exists can always be used to count signatures.
 */
public record Root(
    String specVersion,
    long version,
    Instant expires,
    boolean consistentSnapshot,
    Map<String, VerificationKey> keys,
    Map<RoleType, RoleKeys> roles)
    implements Signed, Delegator {

  public Root {
    Checks.specVersion(specVersion);
    Checks.version(version);
    Checks.expires(expires);
    keys = KeyMaps.copy(keys);
    EnumMap<RoleType, RoleKeys> copy = new EnumMap<>(RoleType.class);
    copy.putAll(roles);
    for (RoleType type : RoleType.values()) {
      RoleKeys role = copy.get(type);
      if (role == null) {
        throw new IllegalArgumentException("root does not define the " + type + " role");
      }
      KeyMaps.requireKnown(keys, role, type.typeName());
    }
    roles = Collections.unmodifiableMap(copy);
  }

  @Override
  public RoleType type() {
    return RoleType.ROOT;
  }

  /** The key ids and threshold of a top-level role. */
  public RoleKeys role(RoleType type) {
    return Objects.requireNonNull(roles.get(type));
  }

  @Override
  public Optional<RoleKeys> roleKeys(String roleName) {
    return RoleType.fromName(roleName).map(roles::get);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("_type", type().typeName());
    json.put("spec_version", specVersion);
    json.put("version", version);
    json.put("expires", Checks.formatExpires(expires));
    json.put("consistent_snapshot", consistentSnapshot);
    json.set("keys", KeyMaps.toJson(keys));
    ObjectNode rolesJson = json.putObject("roles");
    roles.forEach((type, role) -> rolesJson.set(type.typeName(), role.toJson()));
    return json;
  }

  /** Reads the {@code signed} object of root metadata; roles other than the four are ignored. */
  static Root fromJson(JsonNode json) {
    Json.object(json, "signed");
    Json.type(json, RoleType.ROOT);
    EnumMap<RoleType, RoleKeys> roles = new EnumMap<>(RoleType.class);
    JsonNode rolesJson = Json.objectField(json, "roles");
    for (RoleType type : RoleType.values()) {
      JsonNode role = rolesJson.get(type.typeName());
      if (role != null) {
        roles.put(type, RoleKeys.fromJson(role));
      }
    }
    return new Root(
        Json.string(json, "spec_version"),
        Json.integer(json, "version"),
        Checks.parseExpires(Json.string(json, "expires")),
        // TUF 1.0 §4.4: consistent_snapshot is OPTIONAL, absent means false.
        Json.optional(json, "consistent_snapshot")
            .map(v -> Json.bool(v, "consistent_snapshot"))
            .orElse(false),
        KeyMaps.fromJson(Json.field(json, "keys")),
        roles);
  }
}
