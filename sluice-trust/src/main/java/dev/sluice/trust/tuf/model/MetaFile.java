package dev.sluice.trust.tuf.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.hash.Sha256;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An entry of snapshot or timestamp {@code meta} (TUF 1.0 §4.5 METAFILES): the version of a
 * metadata file and, optionally, its exact length and SHA-256. Hashes of other algorithms are not
 * read; a {@code hashes} object without {@code sha256} is refused.
 */
public record MetaFile(long version, OptionalLong length, Optional<Sha256> sha256) {
  public MetaFile {
    Checks.version(version);
    Objects.requireNonNull(length, "length");
    Objects.requireNonNull(sha256, "sha256");
    if (length.isPresent() && length.getAsLong() < 0) {
      throw new IllegalArgumentException("length must not be negative");
    }
  }

  /** An entry with only a version. */
  public static MetaFile ofVersion(long version) {
    return new MetaFile(version, OptionalLong.empty(), Optional.empty());
  }

  /** An entry describing exactly these bytes. */
  public static MetaFile of(long version, byte[] file) {
    return new MetaFile(version, OptionalLong.of(file.length), Optional.of(Sha256.of(file)));
  }

  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("version", version);
    length.ifPresent(l -> json.put("length", l));
    sha256.ifPresent(h -> json.putObject("hashes").put("sha256", h.hex()));
    return json;
  }

  static MetaFile fromJson(JsonNode json) {
    Json.object(json, "a meta entry");
    OptionalLong length =
        Json.optional(json, "length")
            .map(v -> OptionalLong.of(Json.integerValue(v, "length")))
            .orElse(OptionalLong.empty());
    Optional<Sha256> sha256 = Json.optional(json, "hashes").map(MetaFile::sha256);
    return new MetaFile(Json.integer(json, "version"), length, sha256);
  }

  static Sha256 sha256(JsonNode hashes) {
    Json.object(hashes, "\"hashes\"");
    JsonNode sha256 = hashes.get("sha256");
    if (sha256 == null) {
      throw new IllegalArgumentException("\"hashes\" has no sha256");
    }
    return new Sha256(Json.text(sha256, "sha256"));
  }
}
