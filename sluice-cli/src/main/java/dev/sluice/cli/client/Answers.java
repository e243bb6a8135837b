package dev.sluice.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.WireJson;
import java.util.ArrayList;
import java.util.List;

/** Binds the server's JSON answers to the records of {@code sluice-api}, failing clearly. */
final class Answers {
  private Answers() {}

  static <T> T bind(JsonNode json, Class<T> type, String what) {
    if (json == null || !json.isObject()) {
      throw new TransportException("the server sent " + what + " that is not a JSON object");
    }
    try {
      return WireJson.MAPPER.treeToValue(json, type);
    } catch (JsonProcessingException e) {
      throw new TransportException(
          "the server sent " + what + " that does not match the API: " + e.getOriginalMessage(), e);
    }
  }

  /** The objects of the array member {@code field} (a list answer), each as received. */
  static List<JsonNode> elements(JsonNode json, String field) {
    JsonNode array = json == null ? null : json.get(field);
    if (array == null || !array.isArray()) {
      throw new TransportException("the server's answer lacks the list \"" + field + "\"");
    }
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode item : array) {
      if (!item.isObject()) {
        throw new TransportException(
            "the server sent an element of \"" + field + "\" that is not a JSON object");
      }
      out.add(item);
    }
    return List.copyOf(out);
  }

  /** Fails unless the answer had {@code field}, which the API always sends. */
  static <T> T required(T value, String field, String what) {
    if (value == null) {
      throw new TransportException(
          "the server sent " + what + " without the field \"" + field + "\"");
    }
    return value;
  }

  static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
