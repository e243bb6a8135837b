package dev.sluice.store.jdbi;

import dev.sluice.core.filter.FilterOperator;
import dev.sluice.core.filter.ListFilter;
import dev.sluice.store.db.Dialect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates a {@link ListFilter} into a SQL condition, with every value a bound parameter: the SQL
 * text is built from the tree's shape and the whitelisted columns only. Text columns match as
 * {@link FilterSql} does (wildcards by GLOB or LIKE); instants are compared in epoch milliseconds,
 * as they are stored. Every column a list filters on is NOT NULL, so {@code NOT} is exact.
 */
final class ListFilterSql {
  private final Dialect dialect;
  private final Map<String, String> columns;
  private final Map<String, Object> parameters = new LinkedHashMap<>();

  private ListFilterSql(Dialect dialect, Map<String, String> columns) {
    this.dialect = dialect;
    this.columns = columns;
  }

  /** The condition and its parameters (named {@code lf0}, {@code lf1}, ...). */
  record Translation(String sql, Map<String, Object> parameters) {}

  /**
   * @param columns the column of each field the list whitelists, by the field's name
   */
  static Translation translate(ListFilter filter, Map<String, String> columns, Dialect dialect) {
    ListFilterSql sql = new ListFilterSql(dialect, columns);
    String condition = sql.node(filter);
    return new Translation(condition, Map.copyOf(sql.parameters));
  }

  private String node(ListFilter node) {
    return switch (node) {
      case ListFilter.All all -> "(1 = 1)";
      case ListFilter.And and -> join(and.parts(), " AND ");
      case ListFilter.Or or -> join(or.parts(), " OR ");
      case ListFilter.Condition condition -> condition(condition);
    };
  }

  private String join(List<ListFilter> parts, String operator) {
    List<String> fragments = new ArrayList<>();
    for (ListFilter part : parts) {
      fragments.add(node(part));
    }
    return "(" + String.join(operator, fragments) + ")";
  }

  private String condition(ListFilter.Condition c) {
    String column = columns.get(c.field().name());
    if (column == null) {
      throw new IllegalStateException("no column for the filter field " + c.field().name());
    }
    return switch (c.field().kind()) {
      case INSTANT -> instant(c, column);
      case TEXT, CHOICE -> {
        List<String> alternatives = new ArrayList<>();
        for (String value : c.values()) {
          alternatives.add(
              c.isPattern(value) ? pattern(column, value) : column + " = " + bind(value));
        }
        String positive = "(" + String.join(" OR ", alternatives) + ")";
        yield c.operator().negated() ? "(NOT " + positive + ")" : positive;
      }
    };
  }

  private String instant(ListFilter.Condition c, String column) {
    String operator =
        switch (c.operator()) {
          case EQ -> " = ";
          case NE -> " <> ";
          case LT -> " < ";
          case LE -> " <= ";
          case GT -> " > ";
          case GE -> " >= ";
          case IN, OUT -> throw new IllegalStateException(FilterOperator.IN + " on an instant");
        };
    return "(" + column + operator + bind(Instant.parse(c.values().get(0)).toEpochMilli()) + ")";
  }

  private String pattern(String column, String value) {
    return switch (dialect) {
      case SQLITE -> column + " GLOB " + bind(FilterSql.glob(value));
      case POSTGRESQL -> column + " LIKE " + bind(FilterSql.like(value)) + " ESCAPE '!'";
    };
  }

  private String bind(Object value) {
    String name = "lf" + parameters.size();
    parameters.put(name, value);
    return ":" + name;
  }
}
