package dev.sluice.core.device;

import dev.sluice.core.filter.FilterOperator;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a filter condition looks at: the selector before the operator. */
public enum FilterField {
  ID(EnumSet.of(FilterOperator.EQ, FilterOperator.NE, FilterOperator.IN, FilterOperator.OUT)),
  PRODUCT(EnumSet.of(FilterOperator.EQ, FilterOperator.NE, FilterOperator.IN, FilterOperator.OUT)),
  STATUS(EnumSet.of(FilterOperator.EQ, FilterOperator.NE, FilterOperator.IN, FilterOperator.OUT)),
  /** The installed version: text matching with == and =in=, precedence with =lt= and friends. */
  VERSION(EnumSet.allOf(FilterOperator.class)),
  TAG(EnumSet.of(FilterOperator.EQ, FilterOperator.NE, FilterOperator.IN, FilterOperator.OUT)),
  /** {@code attribute.<key>}: one reported attribute. */
  ATTRIBUTE(
      EnumSet.of(FilterOperator.EQ, FilterOperator.NE, FilterOperator.IN, FilterOperator.OUT)),
  /** When the device last polled, compared with an ISO-8601 instant. */
  LASTSEEN(EnumSet.of(FilterOperator.LT, FilterOperator.LE, FilterOperator.GT, FilterOperator.GE));

  private final Set<FilterOperator> operators;

  FilterField(Set<FilterOperator> operators) {
    this.operators = operators;
  }

  public Set<FilterOperator> operators() {
    return operators;
  }

  /** Whether the field compares values as text patterns, where {@code *} is a wildcard. */
  public boolean wildcards() {
    return this == ID || this == PRODUCT || this == VERSION || this == TAG || this == ATTRIBUTE;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
