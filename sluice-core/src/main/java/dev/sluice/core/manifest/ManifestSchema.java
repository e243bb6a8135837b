package dev.sluice.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The {@code sluice.release-manifest/v1} JSON Schema (draft 2020-12), loaded once. */
final class ManifestSchema {
  static final String RESOURCE = "release-manifest.schema.json";

  private static final JsonSchema SCHEMA = load();

  private ManifestSchema() {}

  /**
   * Validates against the schema. A failed {@code pattern} or {@code type} at a pointer in {@code
   * alreadyReported} is left out: the lint's message (a control character, a fraction) says it
   * better.
   */
  static List<Violation> validate(JsonNode manifest, Set<String> alreadyReported) {
    List<Violation> violations = new ArrayList<>();
    for (ValidationMessage message : SCHEMA.validate(manifest)) {
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
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  private static JsonSchema load() {
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .errorMessageKeyword("errorMessage")
            .build();
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(document(), config);
  }
}
