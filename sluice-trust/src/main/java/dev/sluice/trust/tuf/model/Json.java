package dev.sluice.trust.tuf.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Strict readers over a Jackson tree; every failure is an IAE naming the field. */
final class Json {
  private Json() {}

  static JsonNode object(JsonNode node, String what) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object");
    }
    return node;
  }

  static JsonNode field(JsonNode object, String name) {
    JsonNode value = object.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing field \"" + name + "\"");
    }
    return value;
  }

  static Optional<JsonNode> optional(JsonNode object, String name) {
    return Optional.ofNullable(object.get(name));
  }

  static JsonNode objectField(JsonNode object, String name) {
    return object(field(object, name), "\"" + name + "\"");
  }

  static String string(JsonNode object, String name) {
    return text(field(object, name), name);
  }

  static String text(JsonNode value, String name) {
    if (!value.isTextual()) {
      throw new IllegalArgumentException("\"" + name + "\" must be a string");
    }
    return value.textValue();
  }

  static long integer(JsonNode object, String name) {
    return integerValue(field(object, name), name);
  }

  static long integerValue(JsonNode value, String name) {
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException("\"" + name + "\" must be an integer");
    }
    return value.longValue();
  }

  static int intValue(JsonNode object, String name) {
    long value = integer(object, name);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("\"" + name + "\" is out of range");
    }
    return (int) value;
  }

  static boolean bool(JsonNode value, String name) {
    if (!value.isBoolean()) {
      throw new IllegalArgumentException("\"" + name + "\" must be a boolean");
    }
    return value.booleanValue();
  }

  static List<String> strings(JsonNode object, String name) {
    JsonNode array = field(object, name);
    if (!array.isArray()) {
      throw new IllegalArgumentException("\"" + name + "\" must be an array");
    }
    List<String> out = new ArrayList<>(array.size());
    for (JsonNode element : array) {
      out.add(text(element, name + "[]"));
    }
    return out;
  }

  static void type(JsonNode signed, RoleType expected) {
    String type = string(signed, "_type");
    if (!type.equals(expected.typeName())) {
      throw new IllegalArgumentException(
          "_type is \"" + type + "\", expected \"" + expected.typeName() + "\"");
    }
  }
}
