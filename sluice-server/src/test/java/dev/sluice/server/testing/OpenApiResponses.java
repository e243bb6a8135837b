package dev.sluice.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.sluice.api.WireJson;
import dev.sluice.server.api.OpenApiEndpoint;
import dev.sluice.trust.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a real JSON answer against the schema the OpenAPI document gives for its operation and
 * status, so a test that talks to the server also proves the document true. Answers of operations
 * or statuses the document does not describe with a JSON schema are not checked.
 *
 * <p>The document is loaded as one schema resource and every answer schema is a reference into it.
 * Loading each answer schema by its own IRI fragment instead made the schema factory parse the
 * whole document (about 4,000 JSON objects) again for each of the ~430 answer schemas, and each
 * cached schema kept its copy: about 460 MB of the server tests' heap by the end of their run.
 */
public final class OpenApiResponses {
  private static final String IRI = "https://sluice.dev/openapi.json";
  private static final OpenApiResponses INSTANCE = new OpenApiResponses();

  private final JsonNode doc;
  private final JsonSchema document;
  private final List<Route> routes = new ArrayList<>();
  private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

  private record Route(String template, Pattern pattern, int params) {}

  private OpenApiResponses() {
    String text = new String(OpenApiEndpoint.loadOpenApi(), StandardCharsets.UTF_8);
    try {
      this.doc = WireJson.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException("openapi.json is not JSON", e);
    }
    this.document =
        JsonSchemaFactory.getInstance(
                SpecVersion.VersionFlag.V202012,
                b -> b.schemaLoaders(l -> l.schemas(Map.of(IRI, text))))
            .getSchema(SchemaLocation.of(IRI), SchemaValidatorsConfig.builder().build());
    doc.path("paths")
        .fieldNames()
        .forEachRemaining(
            t -> {
              StringBuilder regex = new StringBuilder();
              int params = 0;
              for (String part : t.split("(?=\\{)|(?<=\\})")) {
                if (part.startsWith("{") && part.endsWith("}")) {
                  regex.append("[^/]+");
                  params++;
                } else {
                  regex.append(Pattern.quote(part));
                }
              }
              routes.add(new Route(t, Pattern.compile(regex.toString()), params));
            });
    routes.sort(Comparator.comparingInt(Route::params));
  }

  /** The violations of the answer to {@code method path} (empty when it is not checked). */
  public static List<String> check(
      String method, String path, int status, String contentType, byte[] body) {
    return INSTANCE.violations(method, path, status, contentType, body);
  }

  private List<String> violations(
      String method, String path, int status, String contentType, byte[] body) {
    String media = contentType == null ? "" : contentType.split(";")[0].strip();
    if (!media.equals("application/json") && !media.equals("application/problem+json")) {
      return List.of();
    }
    Optional<Route> route =
        routes.stream().filter(r -> r.pattern.matcher(path).matches()).findFirst();
    if (route.isEmpty()) {
      return List.of();
    }
    String m = method.toLowerCase(Locale.ROOT);
    JsonNode responses = doc.path("paths").path(route.get().template).path(m).path("responses");
    String code = String.valueOf(status);
    if (!responses.has(code)) {
      code = responses.has(code.charAt(0) + "XX") ? code.charAt(0) + "XX" : "default";
    }
    String responsePointer =
        "/paths/" + escape(route.get().template) + "/" + m + "/responses/" + code;
    JsonNode response = responses.path(code);
    if (response.has("$ref")) {
      // A shared response (components/responses), such as the router's 405, 406 and 415.
      responsePointer = response.get("$ref").asText().substring(1);
      response = doc.at(responsePointer);
    }
    JsonNode content = response.path("content");
    if (!content.has(media) || !content.path(media).has("schema")) {
      return List.of();
    }
    String pointer = responsePointer + "/content/" + escape(media) + "/schema";
    JsonSchema schema = schemas.computeIfAbsent(pointer, this::schemaAt);
    JsonNode answer;
    try {
      // Canonical JSON (signed statements) may hold raw control characters.
      answer = CanonicalJson.mapper().readTree(body);
    } catch (Exception e) {
      return List.of(method + " " + path + " " + status + ": not JSON: " + e.getMessage());
    }
    Set<ValidationMessage> messages = schema.validate(answer);
    return messages.stream()
        .map(v -> method + " " + path + " " + status + ": " + v.getMessage())
        .sorted()
        .collect(Collectors.toList());
  }

  /** The schema at a JSON pointer into the document, sharing the document's one parsed copy. */
  private synchronized JsonSchema schemaAt(String pointer) {
    JsonNodePath path = new JsonNodePath(PathType.JSON_POINTER);
    for (String token : pointer.substring(1).split("/", -1)) {
      path = path.append(token.replace("~1", "/").replace("~0", "~"));
    }
    JsonSchema schema = document.getRefSchema(path);
    schema.initializeValidators();
    return schema;
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
