package dev.sluice.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.WireJson;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Text;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A request's JSON object with typed, validating accessors. Every accessor names the field in its
 * error, and {@link #allowOnly} refuses unknown fields so that a typo is an error, not a silent
 * default.
 */
public final class JsonBody {
  /** The longest text field accepted (fields with a rule of their own are shorter). */
  public static final int MAX_TEXT = 16 * 1024;

  private final ObjectNode node;

  private JsonBody(ObjectNode node) {
    this.node = node;
  }

  public static JsonBody parse(byte[] bytes) {
    JsonNode parsed;
    try {
      parsed = WireJson.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new SluiceException.InvalidInput(
          "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new SluiceException.InvalidInput("the body could not be read as JSON");
    }
    if (parsed == null || !parsed.isObject()) {
      throw new SluiceException.InvalidInput("the body must be a JSON object");
    }
    return new JsonBody((ObjectNode) parsed);
  }

  public static JsonBody of(JsonNode node, String field) {
    if (node == null || !node.isObject()) {
      throw invalid(field, "must be a JSON object");
    }
    return new JsonBody((ObjectNode) node);
  }

  public ObjectNode node() {
    return node;
  }

  public JsonBody allowOnly(String... fields) {
    Set<String> allowed = Set.of(fields);
    List<SluiceException.Violation> unknown = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        unknown.add(new SluiceException.Violation("/" + name, "unknown field"));
      }
    }
    if (!unknown.isEmpty()) {
      throw new SluiceException.InvalidInput(
          "unknown field(s); allowed: " + String.join(", ", fields), unknown, null);
    }
    return this;
  }

  public String text(String field) {
    return optionalText(field).orElseThrow(() -> invalid(field, "is required"));
  }

  /**
   * A single-line text field: at most {@value #MAX_TEXT} characters, no control characters, no
   * bidirectional controls (the one text rule, {@link Text}).
   */
  public Optional<String> optionalText(String field) {
    return optionalText(field, false);
  }

  /** {@link #optionalText(String)} that also allows newlines and tabs (free text). */
  public Optional<String> optionalMultilineText(String field) {
    return optionalText(field, true);
  }

  private Optional<String> optionalText(String field, boolean multiline) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw invalid(field, "must be a string");
    }
    String text = value.textValue();
    String problem = Text.problem(text, MAX_TEXT, multiline);
    if (problem != null) {
      throw invalid(field, problem);
    }
    return Optional.of(text);
  }

  public long longValue(String field) {
    return optionalLong(field).orElseThrow(() -> invalid(field, "is required"));
  }

  public Optional<Long> optionalLong(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw invalid(field, "must be an integer");
    }
    return Optional.of(value.longValue());
  }

  public int intValue(String field) {
    long value = longValue(field);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw invalid(field, "is out of range");
    }
    return (int) value;
  }

  public List<String> textList(String field) {
    List<String> out = new ArrayList<>();
    for (JsonNode item : list(field)) {
      if (!item.isTextual()) {
        throw invalid(field, "must be a list of strings");
      }
      String problem = Text.problem(item.textValue(), MAX_TEXT);
      if (problem != null) {
        throw invalid(field, "item " + problem);
      }
      out.add(item.textValue());
    }
    return out;
  }

  /** The array field's elements; a missing field is an empty list. */
  public List<JsonNode> list(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw invalid(field, "must be a list");
    }
    List<JsonNode> out = new ArrayList<>();
    value.forEach(out::add);
    return out;
  }

  public JsonNode required(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw invalid(field, "is required");
    }
    return value;
  }

  private static SluiceException.InvalidInput invalid(String field, String message) {
    return new SluiceException.InvalidInput(
        field + " " + message, List.of(new SluiceException.Violation("/" + field, message)), null);
  }
}
