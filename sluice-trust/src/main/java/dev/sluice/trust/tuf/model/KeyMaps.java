package dev.sluice.trust.tuf.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.key.KeyFormatException;
import dev.sluice.trust.key.VerificationKey;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** TUF {@code keys} objects: key id to key, each id checked against its key (TUF 1.0 §4.4). */
final class KeyMaps {
  private KeyMaps() {}

  /** An immutable sorted copy, refusing an id that is not the key's own TUF key id. */
  static Map<String, VerificationKey> copy(Map<String, VerificationKey> keys) {
    TreeMap<String, VerificationKey> copy = new TreeMap<>();
    keys.forEach(
        (id, key) -> {
          if (!Checks.keyId(id).equals(key.keyId())) {
            throw new IllegalArgumentException(
                "key id " + id + " is not the key id of its key (" + key.keyId() + ")");
          }
          copy.put(id, key);
        });
    return Collections.unmodifiableMap(copy);
  }

  static Map<String, VerificationKey> of(Collection<VerificationKey> keys) {
    TreeMap<String, VerificationKey> map = new TreeMap<>();
    keys.forEach(key -> map.put(key.keyId(), key));
    return Collections.unmodifiableMap(map);
  }

  static void requireKnown(Map<String, VerificationKey> keys, RoleKeys role, String roleName) {
    for (String id : role.keyIds()) {
      if (!keys.containsKey(id)) {
        throw new IllegalArgumentException("role " + roleName + " lists unknown key id " + id);
      }
    }
  }

  static Map<String, VerificationKey> fromJson(JsonNode json) {
    Json.object(json, "\"keys\"");
    TreeMap<String, VerificationKey> keys = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : json.properties()) {
      try {
        keys.put(entry.getKey(), VerificationKey.fromTufJson(entry.getValue()));
      } catch (KeyFormatException e) {
        throw new IllegalArgumentException("key " + entry.getKey() + ": " + e.getMessage(), e);
      }
    }
    return copy(keys);
  }

  static ObjectNode toJson(Map<String, VerificationKey> keys) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    keys.forEach((id, key) -> json.set(id, key.toTufJson()));
    return json;
  }
}
