package dev.sluice.store.jdbi;

import dev.sluice.core.device.FilterNode;
import dev.sluice.core.manifest.Version;
import dev.sluice.store.db.Dialect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates a {@link FilterNode} into a SQL condition over {@code devices d}, with every value a
 * bound parameter: the SQL text is built from the tree's shape only. Each fragment is two-valued
 * (never NULL), so {@code NOT} means exactly "does not match", as {@link FilterNode#matches} does.
 *
 * <p>Wildcards: SQLite uses case-sensitive {@code GLOB} (its {@code LIKE} ignores ASCII case),
 * PostgreSQL {@code LIKE} with the escape character {@code !}; both columns compare bytes ("C"
 * collation).
 */
final class FilterSql {
  private final Dialect dialect;
  private final Map<String, Object> parameters = new LinkedHashMap<>();

  private FilterSql(Dialect dialect) {
    this.dialect = dialect;
  }

  /** The condition and its parameters (named {@code f0}, {@code f1}, ...). */
  record Translation(String sql, Map<String, Object> parameters) {}

  static Translation translate(FilterNode filter, Dialect dialect) {
    FilterSql sql = new FilterSql(dialect);
    String condition = sql.node(filter);
    return new Translation(condition, Map.copyOf(sql.parameters));
  }

  private String node(FilterNode node) {
    return switch (node) {
      case FilterNode.All all -> "(1 = 1)";
      case FilterNode.And and -> join(and.parts(), " AND ");
      case FilterNode.Or or -> join(or.parts(), " OR ");
      case FilterNode.Condition condition -> condition(condition);
    };
  }

  private String join(List<FilterNode> parts, String operator) {
    List<String> fragments = new ArrayList<>();
    for (FilterNode part : parts) {
      fragments.add(node(part));
    }
    return "(" + String.join(operator, fragments) + ")";
  }

  private String condition(FilterNode.Condition c) {
    if (c.operator().ordering()) {
      return ordered(c);
    }
    String positive =
        switch (c.field()) {
          case ID -> anyValue(c, "d.controller_id");
          case PRODUCT -> anyValue(c, "d.product");
          case STATUS -> anyValue(c, "d.status");
          case VERSION ->
              "(d.installed_version IS NOT NULL AND " + anyValue(c, "d.installed_version") + ")";
          case TAG ->
              "EXISTS (SELECT 1 FROM device_tags t WHERE t.controller_id = d.controller_id AND "
                  + anyValue(c, "t.tag")
                  + ")";
          case ATTRIBUTE ->
              "EXISTS (SELECT 1 FROM device_attributes a WHERE a.controller_id = d.controller_id"
                  + " AND a.name = "
                  + bind(c.attributeKey())
                  + " AND "
                  + anyValue(c, "a.value")
                  + ")";
          case LASTSEEN -> throw new IllegalStateException("lastseen is only ordered");
        };
    return c.operator().negated() ? "(NOT " + positive + ")" : positive;
  }

  /** The column equals, or matches the pattern of, one of the condition's values. */
  private String anyValue(FilterNode.Condition c, String column) {
    List<String> alternatives = new ArrayList<>();
    for (String value : c.values()) {
      alternatives.add(c.isPattern(value) ? pattern(column, value) : column + " = " + bind(value));
    }
    return "(" + String.join(" OR ", alternatives) + ")";
  }

  private String pattern(String column, String value) {
    return switch (dialect) {
      case SQLITE -> column + " GLOB " + bind(glob(value));
      case POSTGRESQL -> column + " LIKE " + bind(like(value)) + " ESCAPE '!'";
    };
  }

  private String ordered(FilterNode.Condition c) {
    String operator =
        switch (c.operator()) {
          case LT -> " < ";
          case LE -> " <= ";
          case GT -> " > ";
          case GE -> " >= ";
          default -> throw new IllegalStateException(c.operator() + " does not order");
        };
    String value = c.values().get(0);
    return switch (c.field()) {
      case VERSION ->
          "(d.version_key IS NOT NULL AND d.version_key"
              + operator
              + bind(VersionKey.of(new Version(value)))
              + ")";
      case LASTSEEN ->
          "(d.last_seen IS NOT NULL AND d.last_seen"
              + operator
              + bind(Instant.parse(value).toEpochMilli())
              + ")";
      default -> throw new IllegalStateException(c.field() + " is not ordered");
    };
  }

  private String bind(Object value) {
    String name = "f" + parameters.size();
    parameters.put(name, value);
    return ":" + name;
  }

  /** A GLOB pattern: {@code *} stays a wildcard; {@code ?} and {@code [} are made literal. */
  static String glob(String pattern) {
    StringBuilder out = new StringBuilder();
    for (char ch : pattern.toCharArray()) {
      switch (ch) {
        case '?' -> out.append("[?]");
        case '[' -> out.append("[[]");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }

  /**
   * A LIKE pattern escaped with {@code !} ({@code \\} would confuse JDBI's parser of quoted
   * literals): {@code *} becomes {@code %}.
   */
  static String like(String pattern) {
    StringBuilder out = new StringBuilder();
    for (char ch : pattern.toCharArray()) {
      switch (ch) {
        case '*' -> out.append('%');
        case '%', '_', '!' -> out.append('!').append(ch);
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
