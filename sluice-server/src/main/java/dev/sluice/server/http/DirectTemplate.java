package dev.sluice.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A path template of whole segments, each a literal or one parameter ({@code
 * /{tenant}/controller/v1/{controllerId}}), matched by hand: for the hottest route, where
 * Undertow's general matcher (a substring per template stem, a parameter map, the other templates
 * of the same stem tried first) was a sixth of a poll miss's allocation. It matches only a path of
 * exactly its segments with every parameter non-empty, on the path Undertow's matcher reads
 * (decoded the same way); anything else is left to that matcher. {@link #overlaps} tells whether
 * another template could match one of its paths, in which case the router refuses to match it by
 * hand.
 */
final class DirectTemplate {
  private final String template;
  private final String[] literals; // null where the segment is a parameter
  private final String[] names; // null where the segment is a literal
  private final int parameters;
  private final String firstName;
  private final String secondName;

  DirectTemplate(String template) {
    if (!template.startsWith("/") || template.endsWith("/") || template.contains("//")) {
      throw new IllegalArgumentException("not a template of whole segments: " + template);
    }
    this.template = template;
    String[] segments = template.substring(1).split("/", -1);
    literals = new String[segments.length];
    names = new String[segments.length];
    int count = 0;
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      if (s.length() > 2 && s.startsWith("{") && s.endsWith("}")) {
        String name = s.substring(1, s.length() - 1);
        if (!plain(name)) {
          throw new IllegalArgumentException("not a template of whole segments: " + template);
        }
        names[i] = name;
        count++;
      } else if (plain(s)) {
        literals[i] = s;
      } else {
        throw new IllegalArgumentException("not a template of whole segments: " + template);
      }
    }
    parameters = count;
    List<String> named = new ArrayList<>();
    for (String name : names) {
      if (name != null) {
        named.add(name);
      }
    }
    if (named.stream().distinct().count() != named.size()) {
      throw new IllegalArgumentException("a parameter named twice: " + template);
    }
    firstName = count > 0 ? named.get(0) : null;
    secondName = count > 1 ? named.get(1) : null;
  }

  private static boolean plain(String s) {
    return !s.isEmpty() && s.chars().noneMatch(c -> c == '{' || c == '}' || c == '*' || c == '/');
  }

  String template() {
    return template;
  }

  /** The path's parameters by name, or null when the path is not exactly of this template. */
  Map<String, String> match(String path) {
    if (path.isEmpty() || path.charAt(0) != '/') {
      return null;
    }
    String[] values = parameters <= 2 ? null : new String[literals.length];
    String first = null;
    String second = null;
    int start = 1;
    for (int i = 0; i < literals.length; i++) {
      int end = path.indexOf('/', start);
      boolean last = i == literals.length - 1;
      if (last ? end >= 0 : end < 0) {
        return null;
      }
      if (last) {
        end = path.length();
      }
      if (end == start) {
        return null;
      }
      String literal = literals[i];
      if (literal != null) {
        if (end - start != literal.length() || !path.startsWith(literal, start)) {
          return null;
        }
      } else {
        String value = path.substring(start, end);
        if (values != null) {
          values[i] = value;
        } else if (first == null) {
          first = value;
        } else {
          second = value;
        }
      }
      start = end + 1;
    }
    return parameters(values, first, second);
  }

  private Map<String, String> parameters(String[] values, String first, String second) {
    if (values == null) {
      return switch (parameters) {
        case 0 -> Map.of();
        case 1 -> Map.of(firstName, first);
        default -> Map.of(firstName, first, secondName, second);
      };
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      if (names[i] != null) {
        out.put(names[i], values[i]);
      }
    }
    return out;
  }

  /**
   * Whether a path of this template could also match {@code other} (an Undertow template): same
   * number of segments and, in each, a parameter on either side or the same literal. A segment of
   * {@code other} that holds a parameter or a wildcard anywhere counts as matching anything, and a
   * wildcard template overlaps whatever its length.
   */
  boolean overlaps(String other) {
    if (other.equals(template)) {
      return false;
    }
    if (other.contains("*")) {
      return true;
    }
    String trimmed = other.startsWith("/") ? other.substring(1) : other;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    String[] segments = trimmed.split("/", -1);
    if (segments.length != literals.length) {
      return false;
    }
    for (int i = 0; i < literals.length; i++) {
      String s = segments[i];
      if (literals[i] != null && !s.contains("{") && !s.equals(literals[i])) {
        return false;
      }
    }
    return true;
  }
}
