package dev.sluice.core.standards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardsJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void standardsSetRoundTripsThroughJson() {
    StandardsSet set = DefaultStandards.get();
    ObjectNode json = StandardsJson.toJson(set);
    assertThat(StandardsJson.setFromJson(json)).isEqualTo(set);
    assertThat(json.fieldNames()).toIterable().containsExactly("id", "version", "standards");
  }

  @Test
  void standardIsWrittenWithLowercaseSeverityAndWithoutAbsentOffenders() {
    Standard s = Standard.of("sbom-present", "SBOM", Severity.WARNING, "has(manifest.sbom)", "m");
    ObjectNode json = StandardsJson.toJson(s);
    assertThat(json.get("severity").textValue()).isEqualTo("warning");
    assertThat(json.has("offenders")).isFalse();
    assertThat(StandardsJson.standardFromJson(json)).isEqualTo(s);
  }

  @Test
  void severityIsReadCaseInsensitively() throws Exception {
    JsonNode json =
        JSON.readTree(
            """
            {"id": "x", "title": "X", "severity": "ERROR", "expression": "true", "message": "m",
             "offenders": "[]"}""");
    Standard s = StandardsJson.standardFromJson(json);
    assertThat(s.severity()).isEqualTo(Severity.ERROR);
    assertThat(s.offendersExpression()).contains("[]");
  }

  @Test
  void unknownFieldIsRefusedNamingTheStandard() throws Exception {
    JsonNode json =
        JSON.readTree(
            """
            {"id": "custom-x", "title": "X", "severity": "error", "expression": "true",
             "message": "m", "sql": "DROP TABLE"}""");
    StandardsException e =
        catchThrowableOfType(StandardsException.class, () -> StandardsJson.standardFromJson(json));
    assertThat(e.standardIds()).containsExactly("custom-x");
    assertThat(e.getMessage()).contains("sql");
  }

  @Test
  void missingFieldIsRefused() throws Exception {
    JsonNode json =
        JSON.readTree("{\"id\": \"custom-x\", \"title\": \"X\", \"severity\": \"error\"}");
    assertThatThrownBy(() -> StandardsJson.standardFromJson(json))
        .isInstanceOf(StandardsException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("custom-x")
        .hasMessageContaining("expression");
  }

  @Test
  void invalidStandardInsideASetIsReportedWithItsId() throws Exception {
    ObjectNode set = StandardsJson.toJson(DefaultStandards.get());
    ((ObjectNode) set.get("standards").get(3)).put("severity", "fatal");
    StandardsException e =
        catchThrowableOfType(StandardsException.class, () -> StandardsJson.setFromJson(set));
    assertThat(e.standardIds()).containsExactly("artifact-digests-match");
    assertThat(e.getMessage()).contains("fatal");
  }

  @Test
  void nonObjectIsRefused() {
    assertThatThrownBy(() -> StandardsJson.setFromJson(JSON.createArrayNode()))
        .isInstanceOf(StandardsException.class);
  }

  @Test
  void setsRefuseDuplicateIdsBadVersionsAndEmptyLists() {
    Standard a = Standard.of("a", "A", Severity.ERROR, "true", "m");
    assertThatThrownBy(() -> new StandardsSet("s", 1, List.of(a, a)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate standard ids: a");
    assertThatThrownBy(() -> new StandardsSet("s", 0, List.of(a)))
        .hasMessageContaining("1 or more");
    assertThatThrownBy(() -> new StandardsSet("s", 1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StandardsSet("Bad Id", 1, List.of(a)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void standardsRefuseBadIdsControlCharactersAndOverlongExpressions() {
    assertThatThrownBy(() -> Standard.of("Not A Slug", "t", Severity.ERROR, "true", "m"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Standard.of("x", "title\u001b[2J", Severity.ERROR, "true", "m"))
        .hasMessageContaining("control characters");
    assertThatThrownBy(() -> Standard.of("x", "t", Severity.ERROR, "", "m"))
        .hasMessageContaining("required");
    assertThatThrownBy(
            () -> Standard.of("x", "t", Severity.ERROR, "true || ".repeat(2000) + "true", "m"))
        .hasMessageContaining("at most 8192");
    assertThat(Standard.of("x", "t", Severity.ERROR, "true\n&& true", "m").expression())
        .contains("\n");
  }
}
