package dev.sluice.core.filter;

/** The comparison operators of the filter language, in their FIQL spelling. */
public enum FilterOperator {
  EQ("=="),
  NE("!="),
  IN("=in="),
  OUT("=out="),
  LT("=lt="),
  LE("=le="),
  GT("=gt="),
  GE("=ge=");

  private final String symbol;

  FilterOperator(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  /** Whether the operator takes a parenthesised list of values. */
  public boolean takesList() {
    return this == IN || this == OUT;
  }

  /** Whether the operator is the negation of another ({@code !=} of {@code ==}, etc.). */
  public boolean negated() {
    return this == NE || this == OUT;
  }

  /** Whether the operator orders values rather than matching them. */
  public boolean ordering() {
    return this == LT || this == LE || this == GT || this == GE;
  }

  /** Whether {@code comparison} (the sign of stored value versus filter value) satisfies this. */
  public boolean accepts(int comparison) {
    return switch (this) {
      case LT -> comparison < 0;
      case LE -> comparison <= 0;
      case GT -> comparison > 0;
      case GE -> comparison >= 0;
      default -> throw new IllegalStateException(symbol + " does not order values");
    };
  }

  public static FilterOperator ofSymbol(String symbol) {
    for (FilterOperator op : values()) {
      if (op.symbol.equals(symbol)) {
        return op;
      }
    }
    return null;
  }
}
