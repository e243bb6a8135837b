package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.device.DeviceFilters;
import dev.sluice.core.device.DeviceRepository.Registration;
import dev.sluice.core.device.DeviceStatus;
import dev.sluice.core.device.FilterField;
import dev.sluice.core.device.FilterNode;
import dev.sluice.core.filter.FilterOperator;
import dev.sluice.core.manifest.Version;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.ProductName;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.hash.Sha256;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

/**
 * The SQL a filter becomes selects exactly the devices {@link FilterNode#matches} selects: random
 * fleets and random filters, against a real database ({@link SqliteFilterSqlProperties}, {@link
 * PostgresFilterSqlProperties}).
 */
abstract class FilterSqlProperties {
  static final Instant T0 = Fixtures.T0;
  static final List<String> PRODUCTS = List.of("acme-phone", "acme-watch");
  static final List<String> TAGS =
      List.of("eu", "eu-west", "EU", "50%_off", "a[b]?c", "back\\slash", "x*y", "Ünï");
  static final List<String> KEYS = List.of("hw", "sw.rev", "missing");
  static final List<String> ATTRIBUTE_VALUES =
      List.of("2", "3", "eu west", "%", "_", "a[b]", "", "Ünï", "x*y", "20", "!", "a!%b");
  static final List<String> VERSIONS =
      List.of(
          "1",
          "1.0",
          "1.0.0",
          "1.2",
          "1.10",
          "2.0.0-rc.1",
          "2.0.0-rc.2",
          "2.0.0-alpha",
          "2.0.0",
          "2.0.0+build",
          "10.0",
          "0.9",
          "1.0.0-0",
          "1.0.0-a-b",
          "1.0.0-a.b",
          "0.0",
          "1.0.0-a");

  private TestDatabase test;
  private Transactions tx;

  protected abstract Dialect dialect();

  @BeforeProperty
  void openDatabase() {
    test = TestDatabases.fresh(dialect());
    tx = new JdbiTransactions(test.database());
    Certifier lab = Fixtures.certifier("lab");
    tx.write(
        repos -> {
          repos.certifiers().insert(lab);
          PRODUCTS.forEach(p -> repos.products().insert(Fixtures.product(p, List.of(lab), 1)));
          return null;
        });
  }

  @AfterProperty
  void closeDatabase() {
    if (test != null) {
      test.close();
    }
  }

  @Property(tries = 250)
  void sqlSelectsExactlyWhatMatchesSelects(
      @ForAll("fleets") List<Device> fleet, @ForAll("filters") FilterNode filter) {
    replaceFleet(fleet);
    List<String> expected =
        fleet.stream()
            .filter(filter::matches)
            .map(d -> d.id().value())
            .sorted(Comparator.naturalOrder())
            .toList();

    List<String> selected =
        tx
            .read(repos -> repos.devices().list(Optional.empty(), filter, Optional.empty(), 1000))
            .stream()
            .map(d -> d.id().value())
            .toList();

    Statistics.collect(
        expected.isEmpty() ? "none" : expected.size() == fleet.size() ? "all" : "some");
    Statistics.coverage(coverage -> coverage.check("some").percentage(p -> p >= 15));
    assertThat(selected).as(filter.text()).isEqualTo(expected);
    assertThat(tx.<Long>read(repos -> repos.devices().count(Optional.empty(), filter)))
        .as(filter.text())
        .isEqualTo(expected.size());
  }

  @Property(tries = 500)
  void aFiltersTextParsesBackToTheSameFilter(@ForAll("filters") FilterNode filter) {
    assertThat(DeviceFilters.parse(filter.text())).isEqualTo(filter);
  }

  private void replaceFleet(List<Device> fleet) {
    test.database()
        .jdbi()
        .useHandle(
            h -> {
              h.execute("DELETE FROM device_tags");
              h.execute("DELETE FROM device_attributes");
              h.execute("DELETE FROM devices");
            });
    tx.write(
        repos -> {
          repos
              .devices()
              .insertAll(
                  fleet.stream()
                      .map(d -> new Registration(d, Sha256.of(d.id().value().getBytes())))
                      .toList());
          return null;
        });
  }

  @Provide
  Arbitrary<List<Device>> fleets() {
    Arbitrary<String> id =
        Arbitraries.strings()
            .withChars("aAb1-._:")
            .ofMinLength(1)
            .ofMaxLength(4)
            .filter(s -> Character.isLetterOrDigit(s.charAt(0)));
    Arbitrary<Map<String, String>> attributes =
        Arbitraries.maps(Arbitraries.of("hw", "sw.rev"), Arbitraries.of(ATTRIBUTE_VALUES))
            .ofMaxSize(2);
    Arbitrary<Device> device =
        Combinators.combine(
                id,
                Arbitraries.of(PRODUCTS),
                Arbitraries.subsetOf(TAGS).ofMaxSize(3),
                attributes,
                Arbitraries.of(VERSIONS).injectNull(0.3),
                Arbitraries.of(DeviceStatus.class),
                Arbitraries.integers().between(0, 3).injectNull(0.3))
            .as(
                (i, p, tags, attrs, version, status, seen) ->
                    new Device(
                        new ControllerId(i),
                        new ProductName(p),
                        new TreeMap<>(attrs),
                        new TreeSet<>(tags),
                        Optional.ofNullable(version).map(Version::new),
                        Optional.empty(),
                        status,
                        T0,
                        Optional.ofNullable(seen).map(T0::plusSeconds)));
    return device.list().ofMaxSize(12).uniqueElements(d -> d.id());
  }

  @Provide
  Arbitrary<FilterNode> filters() {
    return filter(3);
  }

  private Arbitrary<FilterNode> filter(int depth) {
    if (depth == 0) {
      return condition();
    }
    Arbitrary<List<FilterNode>> parts =
        Arbitraries.lazy(() -> filter(depth - 1)).list().ofMinSize(2).ofMaxSize(3);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, condition()),
        net.jqwik.api.Tuple.of(2, parts.map(FilterSqlProperties::and)),
        net.jqwik.api.Tuple.of(2, parts.map(FilterSqlProperties::or)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(DeviceFilters.all())));
  }

  // Through the parser, so that nesting is flattened as parsed filters are.
  private static FilterNode and(List<FilterNode> parts) {
    return DeviceFilters.parse(join(parts, ";"));
  }

  private static FilterNode or(List<FilterNode> parts) {
    return DeviceFilters.parse(join(parts, ","));
  }

  private static String join(List<FilterNode> parts, String separator) {
    List<String> texts = new ArrayList<>();
    for (FilterNode part : parts) {
      texts.add(part.text().isEmpty() ? "id==*" : "(" + part.text() + ")");
    }
    return String.join(separator, texts);
  }

  private Arbitrary<FilterNode> condition() {
    return Arbitraries.of(FilterField.class)
        .flatMap(
            field ->
                Arbitraries.of(field.operators())
                    .flatMap(
                        op ->
                            Combinators.combine(
                                    Arbitraries.of(KEYS),
                                    values(field, op)
                                        .list()
                                        .ofMinSize(1)
                                        .ofMaxSize(op.takesList() ? 3 : 1))
                                .as(
                                    (key, values) ->
                                        (FilterNode)
                                            new FilterNode.Condition(
                                                field,
                                                field == FilterField.ATTRIBUTE ? key : "",
                                                op,
                                                values))));
  }

  private Arbitrary<String> values(FilterField field, FilterOperator op) {
    return switch (field) {
      case ID -> pattern(Arbitraries.strings().withChars("aAb1-._:").ofMinLength(1).ofMaxLength(3));
      case PRODUCT -> pattern(Arbitraries.of(PRODUCTS));
      case STATUS -> Arbitraries.of(DeviceStatus.class).map(s -> s.name().toLowerCase(Locale.ROOT));
      case VERSION -> op.ordering() ? Arbitraries.of(VERSIONS) : pattern(Arbitraries.of(VERSIONS));
      case TAG -> pattern(Arbitraries.of(TAGS));
      case ATTRIBUTE -> pattern(Arbitraries.of(ATTRIBUTE_VALUES));
      case LASTSEEN -> Arbitraries.integers().between(-1, 4).map(s -> T0.plusSeconds(s).toString());
    };
  }

  /** The value itself, or with a random stretch replaced by the {@code *} wildcard. */
  private static Arbitrary<String> pattern(Arbitrary<String> values) {
    return Combinators.combine(
            values,
            Arbitraries.integers().between(0, 8),
            Arbitraries.integers().between(0, 8),
            Arbitraries.of(true, false))
        .as(
            (value, a, b, wildcard) -> {
              if (!wildcard) {
                return value;
              }
              int from = Math.min(a, value.length());
              int to = Math.min(Math.max(from, b), value.length());
              return value.substring(0, from) + "*" + value.substring(to);
            });
  }
}
