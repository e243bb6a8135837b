package dev.sluice.server.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** The JSON pointers at which two documents differ (a field missing on one side included). */
final class JsonDiff {
  private JsonDiff() {}

  static void differences(String at, JsonNode expected, JsonNode actual, List<String> out) {
    if (expected.isObject() && actual.isObject()) {
      for (Map.Entry<String, JsonNode> field : expected.properties()) {
        JsonNode other = actual.get(field.getKey());
        String pointer = at + "/" + field.getKey();
        if (other == null) {
          out.add(pointer + " (missing)");
        } else {
          differences(pointer, field.getValue(), other, out);
        }
      }
      for (Map.Entry<String, JsonNode> field : actual.properties()) {
        String name = field.getKey();
        if (!expected.has(name)) {
          out.add(at + "/" + name + " (added)");
        }
      }
    } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
      for (int i = 0; i < expected.size(); i++) {
        differences(at + "/" + i, expected.get(i), actual.get(i), out);
      }
    } else if (!expected.equals(actual)) {
      out.add(at + " (" + expected + " became " + actual + ")");
    }
  }
}
