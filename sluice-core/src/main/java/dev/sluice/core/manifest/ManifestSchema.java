package dev.sluice.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.sluice.api.WireJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code sluice.release-manifest/v2} JSON Schema (draft 2020-12), loaded once, and the v1
 * schema derived from it (v1 did not require an artifact's {@code sha256} and {@code size}), which
 * only releases stored by an earlier Sluice are read with.
 */
final class ManifestSchema {
  static final String RESOURCE = "release-manifest.schema.json";

  private static final JsonSchema SCHEMA = load(document());
  private static final JsonSchema V1_SCHEMA = load(v1Document());

  private ManifestSchema() {}

  /**
   * Validates against the schema. A failed {@code pattern} or {@code type} at a pointer in {@code
   * alreadyReported} is left out: the lint's message (a control character, a fraction) says it
   * better.
   */
  static List<Violation> validate(JsonNode manifest, Set<String> alreadyReported) {
    return validate(SCHEMA, manifest, alreadyReported);
  }

  /** Validates a manifest stored in the v1 format, which an earlier Sluice accepted. */
  static List<Violation> validateV1(JsonNode manifest, Set<String> alreadyReported) {
    return validate(V1_SCHEMA, manifest, alreadyReported);
  }

  private static List<Violation> validate(
      JsonSchema schema, JsonNode manifest, Set<String> alreadyReported) {
    List<Violation> violations = new ArrayList<>();
    for (ValidationMessage message : schema.validate(manifest)) {
      String pointer = message.getInstanceLocation().toString();
      if (("pattern".equals(message.getType()) || "type".equals(message.getType()))
          && alreadyReported.contains(pointer)) {
        continue;
      }
      // Point at the missing or unexpected property itself, not at the object holding it.
      if (("required".equals(message.getType()) || "additionalProperties".equals(message.getType()))
          && message.getProperty() != null) {
        pointer = pointer + "/" + ManifestLint.escape(message.getProperty());
      }
      violations.add(new Violation(pointer, message.getError()));
    }
    return violations;
  }

  /** The schema document as shipped, for publishing it (e.g. over the API). */
  static JsonNode document() {
    try (InputStream in = ManifestSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return WireJson.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** Version 1: the same document except the format name and the artifacts' required fields. */
  private static JsonNode v1Document() {
    ObjectNode v1 = (ObjectNode) document();
    v1.put("$id", "https://sluice.dev/schemas/sluice.release-manifest/v1.schema.json");
    ((ObjectNode) v1.path("properties").path("schema")).put("const", ReleaseManifest.FORMAT_V1);
    ObjectNode artifact = (ObjectNode) v1.path("$defs").path("artifact");
    artifact.putArray("required").add("name");
    return v1;
  }

  private static JsonSchema load(JsonNode document) {
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .errorMessageKeyword("errorMessage")
            .build();
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(document, config);
  }
}
