package dev.sluice.core.standards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import java.util.List;

/**
 * Standards and standards sets as JSON, the form products carry them in through the API:
 *
 * <pre>{@code
 * {"id": "sluice-default", "version": 1, "standards": [
 *   {"id": "sbom-present", "title": "...", "severity": "warning",
 *    "expression": "has(manifest.sbom)", "message": "...", "offenders": "..."}]}
 * }</pre>
 *
 * Reading is strict: unknown or missing fields and invalid values are refused with a {@link
 * StandardsException} naming the standard at fault. {@code severity} is read case-insensitively and
 * written in lowercase; {@code offenders} is optional.
 */
public final class StandardsJson {
  private static final ObjectMapper MAPPER = WireJson.MAPPER;

  private StandardsJson() {}

  /**
   * Reads one standard. Only checks its shape; {@link StandardsEngine#compile} checks its
   * expressions.
   *
   * @throws StandardsException when a field is missing, unknown or invalid
   */
  public static Standard standardFromJson(JsonNode json) {
    return read(json, Standard.class);
  }

  /**
   * Reads a standards set. Only checks its shape; {@link StandardsEngine#compile} checks the
   * expressions.
   *
   * @throws StandardsException when a field is missing, unknown or invalid
   */
  public static StandardsSet setFromJson(JsonNode json) {
    return read(json, StandardsSet.class);
  }

  public static ObjectNode toJson(Standard standard) {
    return MAPPER.valueToTree(standard);
  }

  public static ObjectNode toJson(StandardsSet set) {
    return MAPPER.valueToTree(set);
  }

  private static <T> T read(JsonNode json, Class<T> type) {
    if (json == null || !json.isObject()) {
      throw new StandardsException(
          List.of(new StandardProblem("", "expected a JSON object for " + type.getSimpleName())));
    }
    try {
      return MAPPER.treeToValue(json, type);
    } catch (ValueInstantiationException e) {
      // Thrown by a compact constructor: its message is the useful part.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new StandardsException(
          List.of(new StandardProblem(standardIdAt(json, type, e), cause.getMessage())));
    } catch (JsonMappingException e) {
      throw new StandardsException(
          List.of(
              new StandardProblem(
                  standardIdAt(json, type, e),
                  "invalid JSON at " + pointer(e) + ": " + e.getOriginalMessage())));
    } catch (JsonProcessingException e) {
      throw new StandardsException(
          List.of(new StandardProblem("", "invalid JSON: " + e.getOriginalMessage())));
    }
  }

  private static String pointer(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      sb.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : ref.getIndex());
    }
    return sb.isEmpty() ? "/" : sb.toString();
  }

  // The id of the standard the failing path runs through, or "" when it is about the set.
  private static String standardIdAt(JsonNode json, Class<?> type, JsonMappingException e) {
    JsonNode standard = type == Standard.class ? json : null;
    JsonNode node = json;
    List<JsonMappingException.Reference> path = e.getPath();
    for (int i = 0; i < path.size() && node != null; i++) {
      JsonMappingException.Reference ref = path.get(i);
      node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
      if (i == 1 && type == StandardsSet.class && "standards".equals(path.get(0).getFieldName())) {
        standard = node;
      }
    }
    JsonNode id = standard == null ? null : standard.get("id");
    return id != null && id.isTextual() && !id.textValue().isBlank()
        ? Checks.printable(id.textValue(), 63)
        : "";
  }
}
