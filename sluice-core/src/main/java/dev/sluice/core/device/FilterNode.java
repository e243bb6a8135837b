package dev.sluice.core.device;

import dev.sluice.core.filter.FilterOperator;
import dev.sluice.core.manifest.Version;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The syntax tree of a parsed device filter. The store translates it to SQL; {@link #matches} is
 * its meaning over one device, and the two must agree (a property test checks that they do).
 *
 * <p>Every node is two-valued: a condition on a value the device does not have (no installed
 * version, no such attribute, never seen) is false for {@code ==}, {@code =in=} and the ordering
 * operators, and true for their negations {@code !=} and {@code =out=}.
 */
public sealed interface FilterNode extends DeviceFilter
    permits FilterNode.All, FilterNode.And, FilterNode.Or, FilterNode.Condition {

  /** The empty filter: every device. */
  record All() implements FilterNode {
    @Override
    public boolean matches(Device device) {
      return true;
    }

    @Override
    public String text() {
      return "";
    }
  }

  /** Every part matches. */
  record And(List<FilterNode> parts) implements FilterNode {
    public And {
      parts = List.copyOf(parts);
      if (parts.size() < 2) {
        throw new IllegalArgumentException("an and-filter has at least two parts");
      }
    }

    @Override
    public boolean matches(Device device) {
      return parts.stream().allMatch(p -> p.matches(device));
    }

    @Override
    public String text() {
      return String.join(
          ";", parts.stream().map(p -> p instanceof Or ? "(" + p.text() + ")" : p.text()).toList());
    }
  }

  /** Some part matches. */
  record Or(List<FilterNode> parts) implements FilterNode {
    public Or {
      parts = List.copyOf(parts);
      if (parts.size() < 2) {
        throw new IllegalArgumentException("an or-filter has at least two parts");
      }
    }

    @Override
    public boolean matches(Device device) {
      return parts.stream().anyMatch(p -> p.matches(device));
    }

    @Override
    public String text() {
      return String.join(",", parts.stream().map(FilterNode::text).toList());
    }
  }

  /**
   * One comparison, e.g. {@code attribute.hw_rev=in=(2,3)}.
   *
   * @param field what is compared
   * @param attributeKey the attribute's key for {@link FilterField#ATTRIBUTE}, else empty
   * @param operator how
   * @param values one value, or one or more for {@code =in=} and {@code =out=}; statuses in their
   *     lower-case wire form, instants in ISO-8601 UTC to the millisecond
   */
  record Condition(
      FilterField field, String attributeKey, FilterOperator operator, List<String> values)
      implements FilterNode {
    static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._:-]{0,127}");
    public static final int MAX_VALUE_LENGTH = 256;

    public Condition {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(attributeKey, "attributeKey");
      Objects.requireNonNull(operator, "operator");
      values = List.copyOf(values);
      if ((field == FilterField.ATTRIBUTE) != !attributeKey.isEmpty()) {
        throw new IllegalArgumentException("only attribute conditions name a key");
      }
      if (field == FilterField.ATTRIBUTE && !ATTRIBUTE_KEY.matcher(attributeKey).matches()) {
        throw new IllegalArgumentException(
            "an attribute key is 1-128 letters, digits, '.', '_', ':' or '-'");
      }
      if (!field.operators().contains(operator)) {
        throw new IllegalArgumentException(
            "the operator "
                + operator.symbol()
                + " does not apply to "
                + field.wireName()
                + " (it takes "
                + String.join(" ", field.operators().stream().map(FilterOperator::symbol).toList())
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
        normalised.add(normalise(field, operator, value));
      }
      values = List.copyOf(normalised);
    }

    private static String normalise(FilterField field, FilterOperator operator, String value) {
      Objects.requireNonNull(value, "value");
      if (value.length() > MAX_VALUE_LENGTH) {
        throw new IllegalArgumentException(
            "a filter value is at most " + MAX_VALUE_LENGTH + " characters");
      }
      if (field == FilterField.STATUS) {
        String wire = value.toLowerCase(Locale.ROOT);
        for (DeviceStatus status : DeviceStatus.values()) {
          if (status.name().toLowerCase(Locale.ROOT).equals(wire)) {
            return wire;
          }
        }
        throw new IllegalArgumentException(
            "a status is one of unknown, in_sync, pending, error; got '" + value + "'");
      }
      if (field == FilterField.LASTSEEN) {
        try {
          Instant instant = Instant.parse(value);
          if (!dev.sluice.core.Text.inRange(instant)) {
            throw new IllegalArgumentException(
                "lastseen compares with an instant between "
                    + dev.sluice.core.Text.MIN_INSTANT
                    + " and "
                    + dev.sluice.core.Text.MAX_INSTANT
                    + "; got '"
                    + value
                    + "'");
          }
          return instant.truncatedTo(ChronoUnit.MILLIS).toString();
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(
              "lastseen compares with an ISO-8601 instant such as 2026-11-25T08:00:00Z; got '"
                  + value
                  + "'");
        }
      }
      if (field == FilterField.VERSION && operator.ordering()) {
        try {
          return new Version(value).value();
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              operator.symbol() + " compares with a version: " + e.getMessage());
        }
      }
      return value;
    }

    /** The attribute selector or the field name, as written in a filter. */
    public String selector() {
      return field == FilterField.ATTRIBUTE ? "attribute." + attributeKey : field.wireName();
    }

    /** Whether a value is a pattern with {@code *} wildcards (else it matches exactly). */
    public boolean isPattern(String value) {
      return field.wildcards() && value.indexOf('*') >= 0;
    }

    @Override
    public boolean matches(Device device) {
      if (operator.ordering()) {
        return ordered(device);
      }
      boolean any = deviceValues(device).stream().anyMatch(this::matchesSomeValue);
      return operator.negated() != any;
    }

    private boolean matchesSomeValue(String deviceValue) {
      for (String value : values) {
        if (isPattern(value) ? Wildcards.matches(value, deviceValue) : value.equals(deviceValue)) {
          return true;
        }
      }
      return false;
    }

    private boolean ordered(Device device) {
      String value = values.get(0);
      return switch (field) {
        case VERSION ->
            device
                .installedVersion()
                .map(v -> operator.accepts(v.compareTo(new Version(value))))
                .orElse(false);
        case LASTSEEN ->
            device
                .lastSeen()
                .map(
                    seen ->
                        operator.accepts(
                            Long.compare(seen.toEpochMilli(), Instant.parse(value).toEpochMilli())))
                .orElse(false);
        default -> throw new IllegalStateException(field + " is not ordered");
      };
    }

    private List<String> deviceValues(Device device) {
      return switch (field) {
        case ID -> List.of(device.id().value());
        case PRODUCT -> List.of(device.product().value());
        case STATUS -> List.of(device.status().name().toLowerCase(Locale.ROOT));
        case VERSION -> device.installedVersion().map(Version::value).stream().toList();
        case TAG -> List.copyOf(device.tags());
        case ATTRIBUTE ->
            Optional.ofNullable(device.attributes().get(attributeKey)).stream().toList();
        case LASTSEEN -> throw new IllegalStateException("lastseen is only ordered");
      };
    }

    @Override
    public String text() {
      String rendered =
          operator.takesList()
              ? "(" + String.join(",", values.stream().map(FilterNode::quote).toList()) + ")"
              : quote(values.get(0));
      return selector() + operator.symbol() + rendered;
    }
  }

  /** A value as written in a filter: bare when it can be, else double-quoted with escapes. */
  static String quote(String value) {
    return dev.sluice.core.filter.FilterSyntax.quote(value);
  }
}
