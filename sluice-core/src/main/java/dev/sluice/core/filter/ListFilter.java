package dev.sluice.core.filter;

import dev.sluice.core.Text;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code filter} of a list other than the devices' (releases, rollouts, the audit trail): the
 * same language, parsed by {@link FilterSyntax}, over the fields the list whitelists. The store
 * translates it to SQL with every value bound.
 */
public sealed interface ListFilter
    permits ListFilter.All, ListFilter.And, ListFilter.Or, ListFilter.Condition {

  /**
   * Parses {@code text} over {@code fields}; blank text selects everything.
   *
   * @throws dev.sluice.core.SluiceException.InvalidInput naming the position, and the field or
   *     operator that is wrong
   */
  static ListFilter parse(String text, List<ListField> fields) {
    return FilterSyntax.parse(text, new Grammar(List.copyOf(fields)));
  }

  /** The empty filter: everything. */
  record All() implements ListFilter {}

  /** Every part holds. */
  record And(List<ListFilter> parts) implements ListFilter {
    public And {
      parts = List.copyOf(parts);
    }
  }

  /** Some part holds. */
  record Or(List<ListFilter> parts) implements ListFilter {
    public Or {
      parts = List.copyOf(parts);
    }
  }

  /**
   * One comparison.
   *
   * @param values one value, or one or more for =in= and =out=; choices in lower case, instants in
   *     ISO-8601 UTC to the millisecond
   */
  record Condition(ListField field, FilterOperator operator, List<String> values)
      implements ListFilter {
    /** The longest value a condition compares with. */
    public static final int MAX_VALUE_LENGTH = 256;

    public Condition {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(operator, "operator");
      values = List.copyOf(values);
      if (!field.kind().operators().contains(operator)) {
        throw new IllegalArgumentException(
            "the operator "
                + operator.symbol()
                + " does not apply to "
                + field.name()
                + " (it takes "
                + String.join(
                    " ", field.kind().operators().stream().map(FilterOperator::symbol).toList())
                + ")");
      }
      if (values.isEmpty() || (!operator.takesList() && values.size() != 1)) {
        throw new IllegalArgumentException(
            operator.takesList()
                ? operator.symbol() + " takes a list of one or more values"
                : operator.symbol() + " takes exactly one value");
      }
      List<String> normalised = new ArrayList<>();
      for (String value : values) {
        normalised.add(normalise(field, value));
      }
      values = List.copyOf(normalised);
    }

    private static String normalise(ListField field, String value) {
      Objects.requireNonNull(value, "value");
      if (value.length() > MAX_VALUE_LENGTH) {
        throw new IllegalArgumentException(
            "a filter value is at most " + MAX_VALUE_LENGTH + " characters");
      }
      return switch (field.kind()) {
        case TEXT -> value;
        case CHOICE -> {
          String lower = value.toLowerCase(Locale.ROOT);
          if (!field.choices().contains(lower)) {
            throw new IllegalArgumentException(
                field.name()
                    + " is one of "
                    + String.join(", ", field.choices())
                    + "; got '"
                    + value
                    + "'");
          }
          yield lower;
        }
        case INSTANT -> {
          try {
            Instant instant = Instant.parse(value);
            if (!Text.inRange(instant)) {
              throw new IllegalArgumentException(
                  field.name()
                      + " compares with an instant between "
                      + Text.MIN_INSTANT
                      + " and "
                      + Text.MAX_INSTANT
                      + "; got '"
                      + value
                      + "'");
            }
            yield instant.truncatedTo(ChronoUnit.MILLIS).toString();
          } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                field.name()
                    + " compares with an ISO-8601 instant such as 2026-11-25T08:00:00Z; got '"
                    + value
                    + "'",
                e);
          }
        }
      };
    }

    /** Whether a value is a pattern with {@code *} wildcards (else it matches exactly). */
    public boolean isPattern(String value) {
      return field.kind() == ListField.Kind.TEXT && value.indexOf('*') >= 0;
    }
  }

  /** Builds list filters over a whitelist of fields. */
  final class Grammar implements FilterSyntax.Grammar<ListFilter> {
    private final List<ListField> fields;

    private Grammar(List<ListField> fields) {
      this.fields = fields;
    }

    @Override
    public ListFilter all() {
      return new All();
    }

    @Override
    public ListFilter and(List<ListFilter> parts) {
      return new And(parts);
    }

    @Override
    public ListFilter or(List<ListFilter> parts) {
      return new Or(parts);
    }

    @Override
    public ListFilter condition(String selector, FilterOperator operator, List<String> values) {
      String lower = selector.toLowerCase(Locale.ROOT);
      ListField field =
          fields.stream()
              .filter(f -> f.answersTo(lower))
              .findFirst()
              .orElseThrow(
                  () ->
                      new FilterSyntax.Rejected(
                          FilterSyntax.Part.SELECTOR,
                          "unknown field '"
                              + selector
                              + "' (fields: "
                              + String.join(", ", fields.stream().map(ListField::name).toList())
                              + ")"));
      try {
        return new Condition(field, operator, values);
      } catch (IllegalArgumentException e) {
        throw new FilterSyntax.Rejected(
            e.getMessage().startsWith("the operator")
                ? FilterSyntax.Part.OPERATOR
                : FilterSyntax.Part.VALUES,
            e.getMessage());
      }
    }
  }
}
