package dev.sluice.core.filter;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One field a list's {@code filter} may name, e.g. a release's {@code state}.
 *
 * @param name the selector as written in a filter (and what the store maps to a column)
 * @param aliases other selectors that mean the same field
 * @param kind how values compare
 * @param choices for {@link Kind#CHOICE}, the values the field can have (lower case), else empty
 */
public record ListField(String name, List<String> aliases, Kind kind, List<String> choices) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

  /** How a field's values compare, and so which operators it takes. */
  public enum Kind {
    /** Text, exactly or as a pattern with {@code *} wildcards: ==, !=, =in=, =out=. */
    TEXT(EnumSet.of(FilterOperator.EQ, FilterOperator.NE, FilterOperator.IN, FilterOperator.OUT)),
    /** One of a fixed set of lower-case names (a state): ==, !=, =in=, =out=. */
    CHOICE(EnumSet.of(FilterOperator.EQ, FilterOperator.NE, FilterOperator.IN, FilterOperator.OUT)),
    /** An ISO-8601 instant, compared to the millisecond: ==, != and the ordering operators. */
    INSTANT(
        EnumSet.of(
            FilterOperator.EQ,
            FilterOperator.NE,
            FilterOperator.LT,
            FilterOperator.LE,
            FilterOperator.GT,
            FilterOperator.GE));

    private final Set<FilterOperator> operators;

    Kind(Set<FilterOperator> operators) {
      this.operators = operators;
    }

    public Set<FilterOperator> operators() {
      return operators;
    }
  }

  public ListField {
    Objects.requireNonNull(kind, "kind");
    aliases = List.copyOf(aliases);
    choices = List.copyOf(choices);
    for (String selector : aliases) {
      if (!NAME.matcher(selector).matches()) {
        throw new IllegalArgumentException("a field alias is a lower-case name: " + selector);
      }
    }
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a field name is a lower-case name: " + name);
    }
    if ((kind == Kind.CHOICE) == choices.isEmpty()) {
      throw new IllegalArgumentException("choice fields, and only they, list their choices");
    }
  }

  /** A text field compared exactly or with {@code *} wildcards. */
  public static ListField text(String name, String... aliases) {
    return new ListField(name, List.of(aliases), Kind.TEXT, List.of());
  }

  /** A field whose value is one of {@code choices}. */
  public static ListField choice(String name, List<String> choices) {
    return new ListField(name, List.of(), Kind.CHOICE, choices);
  }

  /** A point in time. */
  public static ListField instant(String name) {
    return new ListField(name, List.of(), Kind.INSTANT, List.of());
  }

  /** Whether a filter may name this field so. */
  public boolean answersTo(String selector) {
    return name.equals(selector) || aliases.contains(selector);
  }
}
