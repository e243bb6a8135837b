package dev.sluice.trust.tuf.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import java.util.Objects;
import java.util.Optional;

/**
 * What targets metadata says about one target file (TUF 1.0 §4.6): its exact length, its SHA-256,
 * and an optional application-defined {@code custom} object. Only SHA-256 is read; a target whose
 * {@code hashes} lack it is refused, so every accepted target can be verified. {@code custom} is
 * held as canonical JSON (integers only) and handed out as a fresh copy.
 */
public record TargetFile(long length, Sha256 sha256, Optional<JsonNode> custom) {
  public TargetFile {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative");
    }
    Objects.requireNonNull(sha256, "sha256");
    custom = Objects.requireNonNull(custom, "custom").map(TargetFile::canonicalObject);
  }

  /** A target with no {@code custom}. */
  public static TargetFile of(byte[] content) {
    return new TargetFile(content.length, Sha256.of(content), Optional.empty());
  }

  /** A target with a {@code custom} object. */
  public static TargetFile of(byte[] content, JsonNode custom) {
    return new TargetFile(content.length, Sha256.of(content), Optional.of(custom));
  }

  /** A fresh copy of {@code custom}, if any. */
  @Override
  public Optional<JsonNode> custom() {
    return custom.map(JsonNode::deepCopy);
  }

  private static JsonNode canonicalObject(JsonNode custom) {
    if (!custom.isObject()) {
      throw new IllegalArgumentException("custom must be a JSON object");
    }
    try {
      // Normalised through canonical JSON: integers only, one node type per number, no aliasing.
      return CanonicalJson.parse(CanonicalJson.encode(custom));
    } catch (TrustException e) {
      throw new IllegalArgumentException("custom has no canonical form: " + e.getMessage(), e);
    }
  }

  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("length", length);
    json.putObject("hashes").put("sha256", sha256.hex());
    custom.ifPresent(c -> json.set("custom", c.deepCopy()));
    return json;
  }

  static TargetFile fromJson(JsonNode json) {
    Json.object(json, "a target");
    return new TargetFile(
        Json.integer(json, "length"),
        MetaFile.sha256(Json.field(json, "hashes")),
        Json.optional(json, "custom"));
  }
}
