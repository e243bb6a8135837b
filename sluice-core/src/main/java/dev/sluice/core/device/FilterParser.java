package dev.sluice.core.device;

import dev.sluice.core.filter.FilterOperator;
import dev.sluice.core.filter.FilterSyntax;
import dev.sluice.core.filter.FilterSyntax.Part;
import dev.sluice.core.filter.FilterSyntax.Rejected;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The device filter's grammar over the shared {@link FilterSyntax}: selectors are {@code id},
 * {@code product}, {@code status}, {@code version}, {@code tag}, {@code lastseen} and {@code
 * attribute.<key>}; nested and-/or-parts are flattened.
 */
final class FilterParser implements FilterSyntax.Grammar<FilterNode> {
  private static final FilterParser GRAMMAR = new FilterParser();

  private FilterParser() {}

  static FilterNode parse(String text) {
    return FilterSyntax.parse(text, GRAMMAR);
  }

  @Override
  public FilterNode all() {
    return new FilterNode.All();
  }

  @Override
  public FilterNode and(List<FilterNode> parts) {
    return new FilterNode.And(flatten(parts, false));
  }

  @Override
  public FilterNode or(List<FilterNode> parts) {
    return new FilterNode.Or(flatten(parts, true));
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

  @Override
  public FilterNode condition(String selector, FilterOperator operator, List<String> values) {
    FilterField field;
    String key = "";
    String lower = selector.toLowerCase(Locale.ROOT);
    if (lower.startsWith("attribute.")) {
      field = FilterField.ATTRIBUTE;
      key = selector.substring("attribute.".length());
      if (!FilterNode.Condition.ATTRIBUTE_KEY.matcher(key).matches()) {
        throw new Rejected(
            Part.SELECTOR, "an attribute key is 1-128 letters, digits, '.', '_', ':' or '-'");
      }
    } else {
      field = field(lower);
      if (field == null || field == FilterField.ATTRIBUTE) {
        throw new Rejected(
            Part.SELECTOR,
            "unknown field '"
                + selector
                + "' (fields: id, product, status, version, tag, lastseen, attribute.<key>)");
      }
    }
    try {
      return new FilterNode.Condition(field, key, operator, values);
    } catch (IllegalArgumentException e) {
      throw new Rejected(
          e.getMessage().startsWith("the operator") ? Part.OPERATOR : Part.VALUES, e.getMessage());
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
}
