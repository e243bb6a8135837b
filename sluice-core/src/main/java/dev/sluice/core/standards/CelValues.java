package dev.sluice.core.standards;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts JSON into the values a CEL program reads: maps, lists, strings, ints, doubles. */
final class CelValues {
  private CelValues() {}

  static Object of(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> map(node);
      case ARRAY -> {
        List<Object> list = new ArrayList<>(node.size());
        node.forEach(element -> list.add(of(element)));
        yield Collections.unmodifiableList(list);
      }
      case STRING -> node.textValue();
      case BOOLEAN -> node.booleanValue();
      case NUMBER ->
          node.canConvertToExactIntegral() && node.canConvertToLong()
              ? (Object) node.longValue()
              : (Object) node.doubleValue();
      case NULL -> NullValue.NULL_VALUE;
      case BINARY, MISSING, POJO ->
          throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    };
  }

  static Map<String, Object> map(JsonNode object) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      map.put(field.getKey(), of(field.getValue()));
    }
    return Collections.unmodifiableMap(map);
  }
}
