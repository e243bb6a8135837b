package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestReaderTest {
  record Window(@Required String schedule, String zone) {}

  record Sample(
      @Required String name,
      @FreeText String description,
      Integer count,
      Long size,
      Boolean enabled,
      List<String> tags,
      Window window,
      List<Window> windows,
      JsonNode key) {}

  record Ordered(Integer low, Integer high) {
    Ordered {
      if (low != null && high != null && low > high) {
        throw new IllegalArgumentException("low is above high");
      }
    }
  }

  private static final RequestReader.TextRule NO_TABS =
      (text, multiline) -> !multiline && text.contains("\t") ? "must be one line" : null;

  private static RequestReader.Read<Sample> read(String json) {
    return RequestReader.read(
        json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), Sample.class, NO_TABS);
  }

  private static List<String> locations(RequestReader.Read<?> read) {
    return read.violations().stream().map(WireViolation::location).toList();
  }

  @Test
  void aValidBodyIsReadWithSnakeCaseNamesAndNoProblem() {
    var read =
        read(
            "{'name': 'a', 'count': 3, 'size': 5000000000, 'enabled': true, 'tags': ['x'],"
                + " 'window': {'schedule': '0 0 2 * * ?'}, 'key': {'keytype': 'ed25519'}}");

    assertThat(read.violations()).isEmpty();
    assertThat(read.value().size()).isEqualTo(5_000_000_000L);
    assertThat(read.value().window()).isEqualTo(new Window("0 0 2 * * ?", null));
    assertThat(read.value().key().path("keytype").asText()).isEqualTo("ed25519");
  }

  @Test
  void everyProblemIsReportedWithItsPathAndTheOthersAreStillRead() {
    var read =
        read(
            "{'count': 'three', 'size': 1.5, 'enabled': 'yes', 'tags': ['ok', 4, null],"
                + " 'window': {'zone': 1, 'extra': 0}, 'windows': [{}], 'colour': 'red',"
                + " 'description': 'two\\tlines', 'key': 'anything'}");

    assertThat(locations(read))
        .containsExactlyInAnyOrder(
            "/colour",
            "/name",
            "/count",
            "/size",
            "/enabled",
            "/tags/1",
            "/tags/2",
            "/window/extra",
            "/window/schedule",
            "/window/zone",
            "/windows/0/schedule");
    assertThat(read.value().description()).isEqualTo("two\tlines");
    assertThat(read.value().count()).isNull();
    assertThat(read.value().key().asText()).isEqualTo("anything");
  }

  @Test
  void theTextRuleAppliesToEverySingleLineText() {
    var read = read("{'name': 'a\\tb', 'tags': ['c\\td']}");

    assertThat(read.violations())
        .containsExactlyInAnyOrder(
            new WireViolation("/name", "must be one line"),
            new WireViolation("/tags/0", "must be one line"));
  }

  @Test
  void messagesReadAsSentencesNamingTheField() {
    var read = read("{'window': {}, 'colour': 1}");

    assertThat(read.violations().stream().map(WireViolation::sentence))
        .contains(
            "name is required",
            "window.schedule is required",
            "colour is an unknown field (allowed: name, description, count, size, enabled, tags,"
                + " window, windows, key)");
  }

  @Test
  void aRuleOfTheRecordItselfIsOneMoreProblem() {
    var read =
        RequestReader.read(
            "{\"low\": 5, \"high\": 1, \"x\": 0}".getBytes(StandardCharsets.UTF_8),
            Ordered.class,
            NO_TABS);

    assertThat(read.violations())
        .containsExactlyInAnyOrder(
            new WireViolation("/x", "is an unknown field (allowed: low, high)"),
            new WireViolation("", "low is above high"));
    assertThat(read.value()).isEqualTo(new Ordered(null, null));
  }

  @Test
  void aBodyThatIsNotOneObjectIsRefusedAtOnce() {
    for (String body : List.of("[]", "\"x\"", "{} {}", "{\"name\": 1, \"name\": 2}", "{", "")) {
      assertThatThrownBy(() -> read(body))
          .as(body)
          .isInstanceOf(InvalidRequestException.class)
          .extracting(e -> ((InvalidRequestException) e).violations().getFirst().location())
          .isEqualTo("");
    }
  }

  @Test
  void aFloodOfProblemsIsCutShort() {
    StringBuilder body = new StringBuilder("{\"name\": \"a\"");
    for (int i = 0; i < 500; i++) {
      body.append(", \"f").append(i).append("\": 0");
    }
    var read =
        RequestReader.read(
            body.append('}').toString().getBytes(StandardCharsets.UTF_8), Sample.class, NO_TABS);

    assertThat(read.violations()).hasSize(RequestReader.MAX_VIOLATIONS + 1);
    assertThat(read.violations().getLast().message()).contains("more problems");
  }

  @Test
  void requestRecordsWriteAbsentFieldsAsNothing() throws Exception {
    var request = new dev.sluice.api.catalog.ProposePolicyRequest(2, null);

    assertThat(WireJson.MAPPER.writeValueAsString(request)).isEqualTo("{\"threshold\":2}");
  }
}
