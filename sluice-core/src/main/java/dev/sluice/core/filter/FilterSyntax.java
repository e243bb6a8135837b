package dev.sluice.core.filter;

import dev.sluice.core.SluiceException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one parser of the filter language (a subset of FIQL/RSQL, see {@code docs/device-filters.md})
 * that every filtered list shares; what a selector means, and which operators and values it takes,
 * is the {@link Grammar}'s business:
 *
 * <pre>
 * filter     = [ or ]
 * or         = and { ( "," | "or" ) and }
 * and        = primary { ( ";" | "and" ) primary }
 * primary    = "(" or ")" | condition
 * condition  = selector operator ( value | "(" value { "," value } ")" )
 * selector   = letters, digits, ".", "_", ":" or "-"
 * operator   = "==" | "!=" | "=in=" | "=out=" | "=lt=" | "=le=" | "=gt=" | "=ge="
 * value      = bare | '"' chars '"' | "'" chars "'"      (backslash escapes in quotes)
 * </pre>
 *
 * Errors name the 1-based character position where the text stops making sense.
 */
public final class FilterSyntax<N> {
  /** The longest filter text accepted. */
  public static final int MAX_LENGTH = 4096;

  private static final int MAX_DEPTH = 32;

  /** The most values one =in= or =out= list takes. */
  public static final int MAX_LIST = 200;

  /**
   * The most values (conditions and list items) in one filter: the SQL it becomes stays within
   * every database's expression limits (SQLite refuses trees deeper than 1,000).
   */
  public static final int MAX_VALUES = 500;

  private static final String RESERVED = "\"'();,=!<>~";

  /** Builds the tree of one kind of filter from what the parser read. */
  public interface Grammar<N> {
    /** The filter of an empty text. */
    N all();

    /** Every part holds (two or more parts). */
    N and(List<N> parts);

    /** Some part holds (two or more parts). */
    N or(List<N> parts);

    /**
     * One condition.
     *
     * @throws Rejected naming the part of the condition that is wrong, and why
     */
    N condition(String selector, FilterOperator operator, List<String> values);
  }

  /** Which part of a condition a {@link Rejected} is about (the error points at it). */
  public enum Part {
    SELECTOR,
    OPERATOR,
    VALUES
  }

  /** A grammar's refusal of one condition. */
  public static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Part part;

    public Rejected(Part part, String message) {
      super(message, null, false, false);
      this.part = part;
    }

    public Part part() {
      return part;
    }
  }

  private final String text;
  private final Grammar<N> grammar;
  private int pos;
  private int depth;
  private int valueCount;

  private FilterSyntax(String text, Grammar<N> grammar) {
    this.text = text;
    this.grammar = grammar;
  }

  /**
   * Parses a filter; blank text is {@link Grammar#all()}.
   *
   * @throws SluiceException.InvalidInput naming the position of the first error, with a violation
   *     of the parameter {@code filter}
   */
  public static <N> N parse(String text, Grammar<N> grammar) {
    if (text == null || text.isBlank()) {
      return grammar.all();
    }
    FilterSyntax<N> parser = new FilterSyntax<>(text, grammar);
    if (text.length() > MAX_LENGTH) {
      throw parser.error(
          0, "a filter is at most " + MAX_LENGTH + " characters, got " + text.length());
    }
    N node = parser.or();
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
  public static boolean isBare(String value) {
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

  /** A value as written in a filter: bare when it can be, else double-quoted with escapes. */
  public static String quote(String value) {
    if (isBare(value)) {
      return value;
    }
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static boolean isBareChar(char c) {
    return c > ' ' && c != 0x7f && RESERVED.indexOf(c) < 0 && !Character.isWhitespace(c);
  }

  private N or() {
    List<N> parts = new ArrayList<>();
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
    return parts.size() == 1 ? parts.get(0) : grammar.or(parts);
  }

  private N and() {
    List<N> parts = new ArrayList<>();
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
    return parts.size() == 1 ? parts.get(0) : grammar.and(parts);
  }

  private N primary() {
    skipSpace();
    if (peek('(')) {
      if (++depth > MAX_DEPTH) {
        throw error("parentheses nest deeper than " + MAX_DEPTH);
      }
      pos++;
      N inner = or();
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

  private N condition() {
    int start = pos;
    String selector = selector();
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
      return grammar.condition(selector, operator, values);
    } catch (Rejected e) {
      int where =
          switch (e.part()) {
            case SELECTOR -> start;
            case OPERATOR -> opStart;
            case VALUES -> valuesStart;
          };
      throw error(where, e.getMessage());
    }
  }

  private String selector() {
    int start = pos;
    while (pos < text.length() && isSelectorChar(text.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error("expected a field name" + found());
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
