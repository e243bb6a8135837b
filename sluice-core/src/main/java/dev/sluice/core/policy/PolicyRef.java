package dev.sluice.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.hash.Sha256;
import java.util.Objects;

/**
 * Names a policy record in the transparency log: its log index and the SHA-256 of its canonical
 * bytes (docs/records.md, {@code previous} of a policy and {@code policy} of a release record).
 */
public record PolicyRef(long logIndex, Sha256 recordSha256) {
  public PolicyRef {
    if (logIndex < 0) {
      throw new IllegalArgumentException("a log index is not negative: " + logIndex);
    }
    Objects.requireNonNull(recordSha256, "recordSha256");
  }

  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("log_index", logIndex);
    node.put("record_sha256", recordSha256.hex());
    return node;
  }

  static PolicyRef fromJson(JsonNode node) {
    return new PolicyRef(
        PolicyJson.integer(node, "log_index"),
        Sha256.parse(PolicyJson.text(node, "record_sha256")));
  }
}
