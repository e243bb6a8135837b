package dev.sluice.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a request body into its record of this module and finds <em>every</em> problem on the way,
 * not only the first: each unknown field, each value of the wrong type, each missing {@link
 * Required} component and each text that breaks the text rule is one {@link WireViolation}.
 *
 * <p>The body is parsed by {@link WireJson#MAPPER} (no duplicate keys, nothing after the document);
 * a body that is not a JSON object is refused at once ({@link InvalidRequestException}). A record
 * refuses fields it does not declare unless it is annotated
 * {@code @JsonIgnoreProperties(ignoreUnknown = true)}. Components are read as the API writes them:
 * {@code String}, {@code Integer}, {@code Long}, {@code Double}, {@code Boolean}, {@code List} of
 * these or of records, nested records (or one value, through the record's {@link WireShorthand}
 * factory), and {@code JsonNode} for documents that are hashed or signed as sent (keys, standards).
 * JSON {@code null} is the same as an absent field. A component with a problem is {@code null} in
 * the record built, so that the caller can go on checking the others.
 */
public final class RequestReader {
  private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  /** What is wrong with a text, or {@code null}; {@code multiline} for {@link FreeText}. */
  @FunctionalInterface
  public interface TextRule {
    String problem(String text, boolean multiline);
  }

  /** The record read (components with a problem are {@code null}) and every problem found. */
  public record Read<R extends Record>(R value, List<WireViolation> violations) {
    public Read {
      Objects.requireNonNull(value, "value");
      violations = List.copyOf(violations);
    }
  }

  /**
   * At most this many problems are listed (a body of a million unknown fields gets a short answer).
   */
  static final int MAX_VIOLATIONS = 50;

  private final TextRule textRule;
  private final List<WireViolation> violations = new ArrayList<>();

  private RequestReader(TextRule textRule) {
    this.textRule = textRule;
  }

  /**
   * Reads {@code body} as a {@code type}.
   *
   * @throws InvalidRequestException if the body is not one JSON object
   */
  public static <R extends Record> Read<R> read(byte[] body, Class<R> type, TextRule textRule) {
    return read(object(body), type, textRule);
  }

  /**
   * The body as a JSON object, for the documents read as trees (rollout specifications, which have
   * shorthands; DDI feedback, which is lenient by protocol).
   *
   * @throws InvalidRequestException if the body is not one JSON object
   */
  public static JsonNode object(byte[] body) {
    JsonNode tree;
    try {
      tree = WireJson.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidRequestException("the body could not be read as JSON");
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidRequestException("the body must be a JSON object");
    }
    return tree;
  }

  /** Reads an already parsed object (for a part of a larger document). */
  public static <R extends Record> Read<R> read(JsonNode object, Class<R> type, TextRule textRule) {
    RequestReader reader = new RequestReader(textRule);
    R value = reader.record(object, type, "");
    return new Read<>(value, reader.violations);
  }

  /** The names a record's components have on the wire, in declaration order. */
  public static List<String> wireNames(Class<? extends Record> type) {
    List<String> names = new ArrayList<>();
    for (RecordComponent component : type.getRecordComponents()) {
      names.add(SNAKE_CASE.translate(component.getName()));
    }
    return names;
  }

  private <R extends Record> R record(JsonNode object, Class<R> type, String at) {
    RecordComponent[] components = type.getRecordComponents();
    List<String> names = wireNames(type);
    JsonIgnoreProperties ignore = type.getAnnotation(JsonIgnoreProperties.class);
    if (ignore == null || !ignore.ignoreUnknown()) {
      Set<String> declared = new LinkedHashSet<>(names);
      for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!declared.contains(name)) {
          problem(
              at + "/" + escape(name),
              "is an unknown field (allowed: " + String.join(", ", names) + ")");
        }
      }
    }
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      types[i] = component.getType();
      if (types[i].isPrimitive()) {
        throw new IllegalStateException("a request record component may be absent: " + component);
      }
      String path = at + "/" + names.get(i);
      JsonNode node = object.get(names.get(i));
      if (node == null || node.isNull()) {
        if (component.isAnnotationPresent(Required.class)) {
          problem(path, "is required");
        }
        continue;
      }
      values[i] =
          value(
              node,
              component.getGenericType(),
              path,
              component.isAnnotationPresent(FreeText.class));
    }
    return construct(type, types, values, at);
  }

  private Object value(JsonNode node, Type type, String path, boolean multiline) {
    Class<?> raw = raw(type);
    if (raw == String.class) {
      if (!node.isTextual()) {
        return problem(path, "must be a string");
      }
      String problem = textRule.problem(node.textValue(), multiline);
      return problem == null ? node.textValue() : problem(path, problem);
    }
    if (raw == Integer.class) {
      if (!node.isIntegralNumber()) {
        return problem(path, "must be an integer");
      }
      return node.canConvertToInt() ? node.intValue() : problem(path, "is out of range");
    }
    if (raw == Long.class) {
      if (!node.isIntegralNumber()) {
        return problem(path, "must be an integer");
      }
      return node.canConvertToLong() ? node.longValue() : problem(path, "is out of range");
    }
    if (raw == Boolean.class) {
      return node.isBoolean() ? node.booleanValue() : problem(path, "must be true or false");
    }
    if (raw == Double.class) {
      return node.isNumber() ? node.doubleValue() : problem(path, "must be a number");
    }
    if (JsonNode.class.isAssignableFrom(raw)) {
      return node;
    }
    if (raw == List.class) {
      if (!node.isArray()) {
        return problem(path, "must be a list");
      }
      Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
      List<Object> out = new ArrayList<>();
      boolean complete = true;
      for (int i = 0; i < node.size(); i++) {
        JsonNode item = node.get(i);
        Object value =
            item.isNull()
                ? problem(path + "/" + i, "must not be null")
                : value(item, element, path + "/" + i, multiline);
        complete &= value != null;
        out.add(value);
      }
      return complete ? List.copyOf(out) : null;
    }
    if (raw.isRecord()) {
      @SuppressWarnings("unchecked")
      Class<? extends Record> nested = (Class<? extends Record>) raw;
      if (node.isObject()) {
        return record(node, nested, path);
      }
      return shorthand(node, nested, path);
    }
    throw new IllegalStateException("a request record component of type " + type);
  }

  /** A record given as one value, through its {@link WireShorthand} factory for that value. */
  private Object shorthand(JsonNode node, Class<? extends Record> type, String path) {
    List<String> accepted = new ArrayList<>(List.of("an object"));
    for (Method factory : type.getMethods()) {
      if (!factory.isAnnotationPresent(WireShorthand.class)
          || !Modifier.isStatic(factory.getModifiers())
          || factory.getParameterCount() != 1) {
        continue;
      }
      Class<?> parameter = factory.getParameterTypes()[0];
      accepted.add(
          parameter == Integer.class
              ? "an integer"
              : parameter == Boolean.class ? "true or false" : "a string");
      boolean fits =
          (parameter == Integer.class && node.isIntegralNumber() && node.canConvertToInt())
              || (parameter == Boolean.class && node.isBoolean())
              || (parameter == String.class && node.isTextual());
      if (!fits) {
        continue;
      }
      Object value = value(node, parameter, path, false);
      try {
        return factory.invoke(null, value);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof IllegalArgumentException invalid) {
          return problem(path, invalid.getMessage());
        }
        throw new IllegalStateException("a shorthand failed: " + factory, e);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("a shorthand cannot be called: " + factory, e);
      }
    }
    return problem(path, "must be " + String.join(" or ", accepted));
  }

  private <R extends Record> R construct(
      Class<R> type, Class<?>[] types, Object[] values, String at) {
    try {
      return type.getDeclaredConstructor(types).newInstance(values);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException invalid) {
        // A rule between components (the record's own check); the record is still built empty so
        // that the caller can report it beside the others.
        problem(at, invalid.getMessage());
        return empty(type, types);
      }
      throw new IllegalStateException("a request record refused its values: " + type, e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("a request record cannot be built: " + type, e);
    }
  }

  private static <R extends Record> R empty(Class<R> type, Class<?>[] types) {
    try {
      return type.getDeclaredConstructor(types).newInstance(new Object[types.length]);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("a request record must accept absent components: " + type, e);
    }
  }

  private Object problem(String path, String message) {
    if (violations.size() < MAX_VIOLATIONS) {
      violations.add(new WireViolation(path, message));
    } else if (violations.size() == MAX_VIOLATIONS) {
      violations.add(new WireViolation("", "has more problems than are listed here"));
    }
    return null;
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalStateException("a request record component of type " + type);
  }

  /** RFC 6901: {@code ~} and {@code /} in a name are escaped in a pointer. */
  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
