package dev.sluice.trust.tuf.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.key.VerificationKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code delegations} of targets metadata (TUF 1.0 §4.6): keys, and roles in priority order.
 * Role names are unique and every key id a role lists is among {@link #keys()}.
 */
public record Delegations(Map<String, VerificationKey> keys, List<DelegatedRole> roles) {
  public Delegations {
    keys = KeyMaps.copy(keys);
    roles = List.copyOf(roles);
    Set<String> names = new HashSet<>();
    for (DelegatedRole role : roles) {
      if (!names.add(role.name())) {
        throw new IllegalArgumentException("role " + role.name() + " is delegated twice");
      }
      KeyMaps.requireKnown(keys, role.keys(), role.name());
    }
  }

  /** Delegations whose key map holds exactly these keys. */
  public static Delegations of(List<VerificationKey> keys, List<DelegatedRole> roles) {
    return new Delegations(KeyMaps.of(keys), roles);
  }

  /** The delegated role with this name. */
  public Optional<DelegatedRole> role(String name) {
    return roles.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.set("keys", KeyMaps.toJson(keys));
    ArrayNode rolesJson = json.putArray("roles");
    roles.forEach(r -> rolesJson.add(r.toJson()));
    return json;
  }

  static Delegations fromJson(JsonNode json) {
    Json.object(json, "\"delegations\"");
    JsonNode rolesJson = Json.field(json, "roles");
    if (!rolesJson.isArray()) {
      throw new IllegalArgumentException("\"roles\" must be an array");
    }
    List<DelegatedRole> roles = new ArrayList<>();
    rolesJson.forEach(r -> roles.add(DelegatedRole.fromJson(r)));
    return new Delegations(KeyMaps.fromJson(Json.field(json, "keys")), roles);
  }
}
