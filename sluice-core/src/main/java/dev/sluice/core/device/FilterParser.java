package dev.sluice.core.device;

import dev.sluice.core.SluiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A recursive-descent parser of the filter language (see {@code docs/device-filters.md}):
 *
 * <pre>
 * filter     = [ or ]
 * or         = and { ( "," | "or" ) and }
 * and        = primary { ( ";" | "and" ) primary }
 * primary    = "(" or ")" | condition
 * condition  = selector operator ( value | "(" value { "," value } ")" )
 * selector   = "id" | "product" | "status" | "version" | "tag" | "lastseen" | "attribute." key
 * operator   = "==" | "!=" | "=in=" | "=out=" | "=lt=" | "=le=" | "=gt=" | "=ge="
 * value      = bare | '"' chars '"' | "'" chars "'"      (backslash escapes in quotes)
 * </pre>
 *
 * Errors name the 1-based character position where the text stops making sense.
 */
final class FilterParser {
  static final int MAX_LENGTH = 4096;
  private static final int MAX_DEPTH = 32;

  /** The most values one =in= or =out= list takes. */
  static final int MAX_LIST = 200;

  /**
   * The most values (conditions and list items) in one filter: the SQL it becomes stays within
   * every database's expression limits (SQLite refuses trees deeper than 1,000).
   */
  static final int MAX_VALUES = 500;

  private static final String RESERVED = "\"'();,=!<>~";

  private final String text;
  private int pos;
  private int depth;
  private int valueCount;

  private FilterParser(String text) {
    this.text = text;
  }

  static FilterNode parse(String text) {
    if (text == null || text.isBlank()) {
      return new FilterNode.All();
    }
    if (text.length() > MAX_LENGTH) {
      throw new SluiceException.InvalidInput(
          "a filter is at most " + MAX_LENGTH + " characters, got " + text.length());
    }
    FilterParser parser = new FilterParser(text);
    FilterNode node = parser.or();
    parser.skipSpace();
    if (parser.pos < text.length()) {
      throw parser.error(
          "expected ';', ',', 'and', 'or' or the end after a condition, found '"
              + parser.text.charAt(parser.pos)
              + "'");
    }
    return node;
  }

  /** Whether a value can be written without quotes. */
  static boolean isBare(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (!isBareChar(value.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isBareChar(char c) {
    return c > ' ' && c != 0x7f && RESERVED.indexOf(c) < 0 && !Character.isWhitespace(c);
  }

  private FilterNode or() {
    List<FilterNode> parts = new ArrayList<>();
    parts.add(and());
    while (true) {
      skipSpace();
      if (peek(',')) {
        pos++;
      } else if (keyword("or")) {
        pos += 2;
      } else {
        break;
      }
      parts.add(and());
    }
    return parts.size() == 1 ? parts.get(0) : new FilterNode.Or(flatten(parts, true));
  }

  private FilterNode and() {
    List<FilterNode> parts = new ArrayList<>();
    parts.add(primary());
    while (true) {
      skipSpace();
      if (peek(';')) {
        pos++;
      } else if (keyword("and")) {
        pos += 3;
      } else {
        break;
      }
      parts.add(primary());
    }
    return parts.size() == 1 ? parts.get(0) : new FilterNode.And(flatten(parts, false));
  }

  private static List<FilterNode> flatten(List<FilterNode> parts, boolean or) {
    List<FilterNode> flat = new ArrayList<>();
    for (FilterNode part : parts) {
      if (or && part instanceof FilterNode.Or nested) {
        flat.addAll(nested.parts());
      } else if (!or && part instanceof FilterNode.And nested) {
        flat.addAll(nested.parts());
      } else {
        flat.add(part);
      }
    }
    return flat;
  }

  private FilterNode primary() {
    skipSpace();
    if (peek('(')) {
      if (++depth > MAX_DEPTH) {
        throw error("parentheses nest deeper than " + MAX_DEPTH);
      }
      pos++;
      FilterNode inner = or();
      skipSpace();
      if (!peek(')')) {
        throw error("expected ')'" + found());
      }
      pos++;
      depth--;
      return inner;
    }
    return condition();
  }

  private FilterNode condition() {
    int start = pos;
    String selector = selector();
    FilterField field;
    String key = "";
    String lower = selector.toLowerCase(Locale.ROOT);
    if (lower.startsWith("attribute.")) {
      field = FilterField.ATTRIBUTE;
      key = selector.substring("attribute.".length());
      if (!FilterNode.Condition.ATTRIBUTE_KEY.matcher(key).matches()) {
        throw error(start, "an attribute key is 1-128 letters, digits, '.', '_', ':' or '-'");
      }
    } else {
      field = field(lower);
      if (field == null || field == FilterField.ATTRIBUTE) {
        throw error(
            start,
            "unknown field '"
                + selector
                + "' (fields: id, product, status, version, tag, lastseen, attribute.<key>)");
      }
    }
    skipSpace();
    int opStart = pos;
    FilterOperator operator = operator();
    skipSpace();
    int valuesStart = pos;
    List<String> values = new ArrayList<>();
    if (operator.takesList()) {
      if (!peek('(')) {
        throw error(operator.symbol() + " takes a parenthesised list such as (a,b)" + found());
      }
      pos++;
      values.add(value());
      skipSpace();
      while (peek(',')) {
        if (values.size() >= MAX_LIST) {
          throw error(valuesStart, operator.symbol() + " takes at most " + MAX_LIST + " values");
        }
        pos++;
        values.add(value());
        skipSpace();
      }
      if (!peek(')')) {
        throw error("expected ',' or ')' in the list" + found());
      }
      pos++;
    } else {
      values.add(value());
    }
    try {
      return new FilterNode.Condition(field, key, operator, values);
    } catch (IllegalArgumentException e) {
      int where = e.getMessage().startsWith("the operator") ? opStart : valuesStart;
      throw error(where, e.getMessage());
    }
  }

  private static FilterField field(String name) {
    for (FilterField f : FilterField.values()) {
      if (f.wireName().equals(name)) {
        return f;
      }
    }
    return null;
  }

  private String selector() {
    int start = pos;
    while (pos < text.length() && isSelectorChar(text.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error("expected a field name such as status or attribute.hw" + found());
    }
    return text.substring(start, pos);
  }

  private static boolean isSelectorChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == ':'
        || c == '-';
  }

  private FilterOperator operator() {
    int start = pos;
    if (text.startsWith("==", pos) || text.startsWith("!=", pos)) {
      pos += 2;
      return FilterOperator.ofSymbol(text.substring(start, pos));
    }
    if (peek('=')) {
      int close = text.indexOf('=', pos + 1);
      if (close > pos + 1) {
        FilterOperator op = FilterOperator.ofSymbol(text.substring(pos, close + 1));
        if (op != null) {
          pos = close + 1;
          return op;
        }
      }
    }
    throw error("expected an operator (==, !=, =in=, =out=, =lt=, =le=, =gt=, =ge=)" + found());
  }

  private String value() {
    if (++valueCount > MAX_VALUES) {
      throw error("a filter has at most " + MAX_VALUES + " values in all");
    }
    skipSpace();
    if (pos >= text.length()) {
      throw error("expected a value, found the end of the filter");
    }
    char c = text.charAt(pos);
    if (c == '"' || c == '\'') {
      return quoted(c);
    }
    int start = pos;
    while (pos < text.length() && isBareChar(text.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error("expected a value (quote it if it contains spaces or ()\"';,=!<>~)" + found());
    }
    return text.substring(start, pos);
  }

  private String quoted(char quote) {
    int start = pos;
    pos++;
    StringBuilder out = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == quote) {
        return out.toString();
      }
      if (c == '\\') {
        if (pos >= text.length()) {
          break;
        }
        out.append(text.charAt(pos++));
      } else {
        out.append(c);
      }
    }
    throw error(start, "the quoted value is not closed");
  }

  private boolean keyword(String word) {
    int end = pos + word.length();
    return text.regionMatches(true, pos, word, 0, word.length())
        && pos > 0
        && Character.isWhitespace(text.charAt(pos - 1))
        && end < text.length()
        && (Character.isWhitespace(text.charAt(end)) || text.charAt(end) == '(');
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private String found() {
    return pos < text.length() ? ", found '" + text.charAt(pos) + "'" : ", found the end";
  }

  private SluiceException.InvalidInput error(String message) {
    return error(pos, message);
  }

  private SluiceException.InvalidInput error(int at, String message) {
    String located = "invalid filter at position " + (at + 1) + ": " + message;
    return new SluiceException.InvalidInput(
        located, List.of(new SluiceException.Violation("filter", located)), null);
  }
}
