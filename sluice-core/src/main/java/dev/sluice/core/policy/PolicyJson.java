package dev.sluice.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/** Strict reading of the policy formats: every field present, of its type, and no other field. */
final class PolicyJson {
  private PolicyJson() {}

  static JsonNode field(JsonNode node, String name) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object holding '" + name + "'");
    }
    JsonNode value = node.get(name);
    if (value == null) {
      throw new IllegalArgumentException("field '" + name + "' is missing");
    }
    return value;
  }

  static String text(JsonNode node, String name) {
    JsonNode value = field(node, name);
    if (!value.isTextual()) {
      throw new IllegalArgumentException("field '" + name + "' must be a string");
    }
    return value.asText();
  }

  static long integer(JsonNode node, String name) {
    JsonNode value = field(node, name);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException("field '" + name + "' must be an integer");
    }
    return value.asLong();
  }

  static int smallInteger(JsonNode node, String name) {
    long value = integer(node, name);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("field '" + name + "' is out of range");
    }
    return (int) value;
  }

  static JsonNode array(JsonNode node, String name) {
    JsonNode value = field(node, name);
    if (!value.isArray()) {
      throw new IllegalArgumentException("field '" + name + "' must be an array");
    }
    return value;
  }

  static void only(JsonNode node, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException("unexpected field '" + name + "'");
      }
    }
  }
}
