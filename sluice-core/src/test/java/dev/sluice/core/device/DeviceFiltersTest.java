package dev.sluice.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.manifest.Version;
import dev.sluice.core.product.ProductName;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceFiltersTest {
  static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

  static Device device(String id, String version, DeviceStatus status, Set<String> tags) {
    return new Device(
        new ControllerId(id),
        new ProductName("acme-phone"),
        new TreeMap<>(Map.of("hw_rev", "2", "region", "eu west")),
        new TreeSet<>(tags),
        Optional.ofNullable(version).map(Version::new),
        Optional.empty(),
        status,
        T0,
        Optional.of(T0.plusSeconds(60)));
  }

  final Device phone = device("phone-17", "14.2.0", DeviceStatus.PENDING, Set.of("eu", "beta"));
  final Device fresh = device("new-1", null, DeviceStatus.UNKNOWN, Set.of());

  private boolean matches(String filter, Device device) {
    return DeviceFilters.parse(filter).matches(device);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|true|true",
        "id==phone-17|true|false",
        "id==phone-*|true|false",
        "id==PHONE-*|false|false",
        "product==acme-phone|true|true",
        "status==pending|true|false",
        "status==PENDING|true|false",
        "status=in=(unknown,error)|false|true",
        "status=out=(unknown,error)|true|false",
        "version==14.2.0|true|false",
        "version!=14.2.0|false|true",
        "version==14.*|true|false",
        "version=lt=14.10|true|false",
        "version=ge=14.2|true|false",
        "version=gt=14.2.0-rc.1|true|false",
        "version=lt=14.2.0|false|false",
        "tag==eu|true|false",
        "tag!=eu|false|true",
        "tag=in=(us,beta)|true|false",
        "tag=out=(us,beta)|false|true",
        "attribute.hw_rev==2|true|true",
        "attribute.region==\"eu west\"|true|true",
        "attribute.region=='eu *'|true|true",
        "attribute.missing!=x|true|true",
        "attribute.missing==*|false|false",
        "lastseen=gt=2026-11-25T08:00:59Z|true|true",
        "lastseen=le=2026-11-25T08:00:59Z|false|false",
        "tag==eu;status==pending|true|false",
        "tag==eu and status==unknown|false|false",
        "tag==eu,status==unknown|true|true",
        "tag==us or (status==unknown and attribute.hw_rev==2)|false|true",
        "(tag==eu,tag==us);version=lt=15|true|false",
      })
  void conditionsAndCombinationsSelectAsDocumented(
      String filter, boolean selectsPhone, boolean selectsFresh) {
    assertThat(matches(filter, phone)).as(filter + " on phone").isEqualTo(selectsPhone);
    assertThat(matches(filter, fresh)).as(filter + " on fresh").isEqualTo(selectsFresh);
  }

  @Test
  void andBindsTighterThanOr() {
    FilterNode parsed = DeviceFilters.parse("tag==a,tag==b;tag==c");
    assertThat(parsed).isInstanceOf(FilterNode.Or.class);
    assertThat(((FilterNode.Or) parsed).parts().get(1)).isInstanceOf(FilterNode.And.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "tag == eu ; ( status==pending , version =lt= 2 )|tag==eu;(status==pending,version=lt=2)",
        "attribute.region=='eu west'|attribute.region==\"eu west\"",
        "STATUS=in=( PENDING , error )|status=in=(pending,error)",
        "lastseen=gt=2026-11-25T09:00:00.123456+01:00|lastseen=gt=2026-11-25T08:00:00.123Z",
        "tag==a or tag==b and tag==c|tag==a,tag==b;tag==c",
        "tag==\"quo\\\"te\"|tag==\"quo\\\"te\"",
      })
  void textIsNormalisedAndParsesBackToTheSameFilter(String input, String normalised) {
    FilterNode parsed = DeviceFilters.parse(input);
    assertThat(parsed.text()).isEqualTo(normalised);
    assertThat(DeviceFilters.parse(parsed.text())).isEqualTo(parsed);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "status==pending;|17|expected a field name",
        "colour==red|1|unknown field 'colour'",
        "tag=like=x|4|expected an operator",
        "tag==|6|expected a value",
        "status==broken|9|a status is one of",
        "version=lt=banana|12|compares with a version",
        "lastseen==2026-11-25T08:00:00Z|9|does not apply to lastseen",
        "tag=in=a|8|parenthesised list",
        "tag=in=(a,b|12|expected ',' or ')'",
        "(tag==a|8|expected ')'",
        "tag==\"open|6|not closed",
        "tag==a tag==b|8|expected ';', ',', 'and', 'or'",
        "tag==a)|7|expected ';'",
        "attribute.==x|1|an attribute key",
      })
  void errorsNameThePositionAndTheProblem(String filter, int position, String problem) {
    assertThatThrownBy(() -> DeviceFilters.parse(filter))
        .isInstanceOf(SluiceException.InvalidInput.class)
        .hasMessageContaining("position " + position + ":")
        .hasMessageContaining(problem);
  }

  @Test
  void deepNestingAndHugeFiltersAreRefused() {
    String deep = "(".repeat(40) + "tag==a" + ")".repeat(40);
    assertThatThrownBy(() -> DeviceFilters.parse(deep)).hasMessageContaining("nest deeper");
    String huge = "tag==a;".repeat(1000) + "tag==b";
    assertThatThrownBy(() -> DeviceFilters.parse(huge)).hasMessageContaining("at most 4096");
  }

  @Test
  void wildcardMatchingHandlesBacktracking() {
    assertThat(Wildcards.matches("a*b*c", "aXbYbZc")).isTrue();
    assertThat(Wildcards.matches("a*b*c", "aXbYbZ")).isFalse();
    assertThat(Wildcards.matches("*", "")).isTrue();
    assertThat(Wildcards.matches("**a", "bba")).isTrue();
    assertThat(Wildcards.matches("a", "ab")).isFalse();
  }
}
