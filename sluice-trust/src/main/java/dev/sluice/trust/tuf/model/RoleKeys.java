package dev.sluice.trust.tuf.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The keys allowed to sign for a role and how many of them must: TUF 1.0 §4.4 {@code {"keyids",
 * "threshold"}}. Each key id is listed once and the threshold is at least 1.
 */
public record RoleKeys(List<String> keyIds, int threshold) {
  public RoleKeys {
    keyIds = Checks.keyIds(keyIds);
    Checks.threshold(threshold);
  }

  static RoleKeys fromJson(JsonNode json) {
    Json.object(json, "a role");
    return new RoleKeys(Json.strings(json, "keyids"), Json.intValue(json, "threshold"));
  }

  void writeTo(ObjectNode json) {
    keyIds.forEach(json.putArray("keyids")::add);
    json.put("threshold", threshold);
  }

  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    writeTo(json);
    return json;
  }
}
