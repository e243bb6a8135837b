package dev.sluice.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.api.WireJson;
import dev.sluice.core.SluiceException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The OpenAPI document is complete and self-contained (see also the route sync test). */
class OpenApiDocumentTest {
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");
  private static final String MANIFEST = "#/components/schemas/ReleaseManifest";

  private final JsonNode doc = read("/dev/sluice/server/openapi.json");

  private static JsonNode read(String resource) {
    try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream(resource)) {
      return WireJson.MAPPER.readTree(in);
    } catch (Exception e) {
      throw new IllegalStateException(resource, e);
    }
  }

  @Test
  void everyOperationHasAUniqueOperationId() {
    Set<String> ids = new HashSet<>();
    List<String> missing = new ArrayList<>();
    List<String> duplicate = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        if (!METHODS.contains(op.getKey())) {
          continue;
        }
        JsonNode id = op.getValue().get("operationId");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
          missing.add(op.getKey() + " " + path.getKey());
        } else if (!ids.add(id.asText())) {
          duplicate.add(id.asText());
        }
      }
    }
    assertThat(missing).isEmpty();
    assertThat(duplicate).isEmpty();
    assertThat(ids).hasSizeGreaterThan(100);
  }

  @Test
  void everyReferenceResolvesInsideTheDocument() {
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertThat(refs).isNotEmpty().allSatisfy(r -> assertThat(r).startsWith("#/"));
    for (String ref : refs) {
      assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
  }

  @Test
  void embeddedManifestSchemaIsTheOneSluiceServesUnderItsId() {
    JsonNode served = read(OpenApiEndpoint.MANIFEST_SCHEMA_RESOURCE);
    assertThat(served.path("$id").asText()).endsWith(OpenApiEndpoint.MANIFEST_SCHEMA_PATH);
    ObjectNode expected = ((ObjectNode) served).deepCopy();
    expected.remove("$id");
    expected.remove("$schema");
    rebase(expected);
    assertThat(doc.at("/components/schemas/ReleaseManifest")).isEqualTo(expected);
    assertThat(
            doc.at(
                    "/paths/~1api~1v1~1releases/post/requestBody/content/application~1json/schema/$ref")
                .asText())
        .isEqualTo(MANIFEST);
    assertThat(doc.at("/paths").has(OpenApiEndpoint.MANIFEST_SCHEMA_PATH)).isTrue();
  }

  @Test
  void problemDocumentListsEveryConflictKindTheServerSends() {
    List<String> documented = new ArrayList<>();
    doc.at("/components/schemas/Problem/properties/conflict/enum")
        .forEach(k -> documented.add(k.asText()));
    assertThat(documented)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(SluiceException.ConflictKind.values())
                .map(k -> k.name().toLowerCase(Locale.ROOT))
                .toList());
  }

  @Test
  void actionDocumentListsEveryActionStatus() {
    List<String> documented = new ArrayList<>();
    doc.at("/components/schemas/Action/properties/status/enum")
        .forEach(k -> documented.add(k.asText()));
    assertThat(documented)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(dev.sluice.core.action.ActionStatus.values())
                .map(k -> k.name().toLowerCase(Locale.ROOT))
                .toList());
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              e -> {
                if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
                  out.add(e.getValue().asText());
                } else {
                  collectRefs(e.getValue(), out);
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, out));
    }
  }

  // The served schema's own references ("#/$defs/x") point into the embedded copy.
  private static void rebase(JsonNode node) {
    if (node instanceof ObjectNode object) {
      JsonNode ref = object.get("$ref");
      if (ref != null && ref.isTextual() && ref.asText().startsWith("#/")) {
        object.set("$ref", TextNode.valueOf(MANIFEST + ref.asText().substring(1)));
      }
      object.forEach(OpenApiDocumentTest::rebase);
    } else if (node.isArray()) {
      node.forEach(OpenApiDocumentTest::rebase);
    }
  }
}
