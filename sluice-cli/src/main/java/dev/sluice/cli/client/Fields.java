package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads members of the server's JSON answers, failing clearly when the contract is not met. */
final class Fields {
  private Fields() {}

  static JsonNode object(JsonNode json, String what) {
    if (json == null || !json.isObject()) {
      throw new TransportException("the server sent " + what + " that is not a JSON object");
    }
    return json;
  }

  static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual()) {
      throw new TransportException(
          "the server's answer lacks the text field \"" + field + "\": " + abbreviate(json));
    }
    return value.asText();
  }

  static Optional<String> optionalText(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || !value.isTextual() ? Optional.empty() : Optional.of(value.asText());
  }

  static long number(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.canConvertToLong()) {
      throw new TransportException(
          "the server's answer lacks the number field \"" + field + "\": " + abbreviate(json));
    }
    return value.asLong();
  }

  static List<String> texts(JsonNode json, String field) {
    List<String> values = new ArrayList<>();
    for (JsonNode item : json.path(field)) {
      values.add(item.isTextual() ? item.asText() : item.toString());
    }
    return List.copyOf(values);
  }

  static List<JsonNode> objects(JsonNode json, String field) {
    List<JsonNode> values = new ArrayList<>();
    for (JsonNode item : json.path(field)) {
      values.add(object(item, "an element of \"" + field + "\""));
    }
    return List.copyOf(values);
  }

  private static String abbreviate(JsonNode json) {
    String text = json.toString();
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
