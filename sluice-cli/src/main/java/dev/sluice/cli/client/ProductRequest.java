package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link SluiceClient#createProduct} sends. Absent optional parts are left to the server's
 * defaults; {@code extraStandards}, when present, is a JSON array of standard objects.
 */
public record ProductRequest(
    String name,
    String description,
    List<String> certifiers,
    int threshold,
    OptionalLong maxArtifactSize,
    Optional<JsonNode> extraStandards,
    Optional<Boolean> securityUpdatesDeferrable) {

  public ProductRequest {
    Objects.requireNonNull(securityUpdatesDeferrable, "securityUpdatesDeferrable");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    certifiers = List.copyOf(certifiers);
    Objects.requireNonNull(maxArtifactSize, "maxArtifactSize");
    Objects.requireNonNull(extraStandards, "extraStandards");
    extraStandards.ifPresent(
        s -> {
          if (!s.isArray()) {
            throw new IllegalArgumentException("extra standards are a JSON array");
          }
        });
  }

  /** A request leaving the security-update flag to the server's default (deferrable). */
  public ProductRequest(
      String name,
      String description,
      List<String> certifiers,
      int threshold,
      OptionalLong maxArtifactSize,
      Optional<JsonNode> extraStandards) {
    this(
        name,
        description,
        certifiers,
        threshold,
        maxArtifactSize,
        extraStandards,
        Optional.empty());
  }

  /** A product with no extra standards and the server's default artifact size limit. */
  public static ProductRequest of(
      String name, String description, List<String> certifiers, int threshold) {
    return new ProductRequest(
        name, description, certifiers, threshold, OptionalLong.empty(), Optional.empty());
  }

  ObjectNode toJson() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", name);
    body.put("description", description);
    ArrayNode list = body.putArray("certifiers");
    certifiers.forEach(list::add);
    body.put("threshold", threshold);
    maxArtifactSize.ifPresent(size -> body.put("max_artifact_size", size));
    extraStandards.ifPresent(s -> body.set("standards", s.deepCopy()));
    securityUpdatesDeferrable.ifPresent(d -> body.put("security_updates_deferrable", d));
    return body;
  }
}
