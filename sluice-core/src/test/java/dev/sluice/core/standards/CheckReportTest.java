package dev.sluice.core.standards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.standards.CheckReport.Outcome;
import dev.sluice.core.standards.CheckReport.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckReportTest {

  private static CheckReport blockedReport() {
    return CheckReport.of(
        "acme-phone",
        3,
        List.of(
            new StandardResult(
                "version-increases",
                "Version goes up",
                Severity.ERROR,
                Outcome.PASS,
                "m1",
                List.of(),
                null),
            new StandardResult(
                "network-endpoints-declared",
                "Endpoints declared",
                Severity.ERROR,
                Outcome.FAIL,
                "A component contacts an undeclared endpoint.",
                List.of("sluice-agent: telemetry.example.net:443"),
                null),
            new StandardResult(
                "custom-check",
                "Custom",
                Severity.ERROR,
                Outcome.ERROR,
                "m3",
                List.of(),
                "evaluation error at <input>:9: key 'x' is not present in map."),
            new StandardResult(
                "sbom-present",
                "SBOM given",
                Severity.WARNING,
                Outcome.FAIL,
                "Add an SBOM.",
                List.of(),
                null)));
  }

  @Test
  void reportRoundTripsThroughJson() {
    CheckReport report = blockedReport();
    assertThat(CheckReport.fromJson(report.toJson())).isEqualTo(report);
  }

  @Test
  void jsonUsesSnakeCaseLowercaseValuesAndIntegersOnly() {
    ObjectNode json = blockedReport().toJson();
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly("standards_set", "verdict", "results");
    assertThat(json.get("standards_set").get("id").textValue()).isNotBlank();
    assertThat(json.get("verdict").textValue()).isEqualTo("blocked");
    assertThat(json.get("standards_set").get("version").isInt()).isTrue();
    JsonNode failed = json.get("results").get(1);
    assertThat(failed.get("outcome").textValue()).isEqualTo("fail");
    assertThat(failed.get("severity").textValue()).isEqualTo("error");
    assertThat(failed.get("offenders").get(0).textValue())
        .isEqualTo("sluice-agent: telemetry.example.net:443");
    assertThat(failed.has("error_detail")).isFalse();
    assertThat(json.get("results").get(2).get("error_detail").textValue()).contains("key 'x'");
    assertThat(json.toString()).doesNotContain("null");
    assertNoFloats(json);
  }

  @Test
  void verdictFollowsTheErrorSeverityResults() {
    CheckReport report = blockedReport();
    assertThat(report.verdict()).isEqualTo(Verdict.BLOCKED);
    assertThat(report.blocked()).isTrue();
    assertThat(report.blocking())
        .extracting(StandardResult::id)
        .containsExactly("network-endpoints-declared", "custom-check");
    CheckReport onlyWarning = CheckReport.of("s", 1, List.of(report.results().get(3)));
    assertThat(onlyWarning.verdict()).isEqualTo(Verdict.PASSED);
  }

  @Test
  void reportWhoseVerdictContradictsItsResultsCannotExist() {
    ObjectNode json = blockedReport().toJson();
    json.put("verdict", "passed");
    assertThatThrownBy(() -> CheckReport.fromJson(json))
        .isInstanceOf(StandardsException.class)
        .hasMessageContaining("contradicts");
  }

  @Test
  void malformedReportJsonIsRefused() {
    ObjectNode unknownField = blockedReport().toJson();
    unknownField.put("extra", 1);
    ObjectNode upperCase = blockedReport().toJson();
    upperCase.put("verdict", "BLOCKED");
    ObjectNode floatVersion = blockedReport().toJson();
    ((ObjectNode) floatVersion.get("standards_set")).put("version", 3.5);
    ObjectNode offendersOnPass = blockedReport().toJson();
    ((ObjectNode) offendersOnPass.get("results").get(0)).putArray("offenders").add("x");
    ObjectNode errorWithoutDetail = blockedReport().toJson();
    ((ObjectNode) errorWithoutDetail.get("results").get(2)).remove("error_detail");
    for (ObjectNode bad :
        List.of(unknownField, upperCase, floatVersion, offendersOnPass, errorWithoutDetail)) {
      assertThatThrownBy(() -> CheckReport.fromJson(bad))
          .as(bad.toString())
          .isInstanceOf(StandardsException.class);
    }
  }

  @Test
  void textShowsEachStandardThenFailuresWithOffendersThenTheVerdict() {
    String text = blockedReport().toText();
    List<String> lines = text.lines().toList();
    assertThat(lines.get(0)).isEqualTo("Standards acme-phone v3");
    assertThat(lines.get(1)).contains("PASS").contains("version-increases");
    assertThat(lines.get(2)).contains("FAIL").contains("network-endpoints-declared");
    assertThat(lines.get(3)).contains("A component contacts an undeclared endpoint.");
    assertThat(lines.get(4)).contains("- sluice-agent: telemetry.example.net:443");
    assertThat(text).contains("ERROR").contains("error: evaluation error");
    assertThat(text).contains("FAIL (warning)").contains("sbom-present");
    assertThat(lines.getLast())
        .isEqualTo("Verdict: BLOCKED by network-endpoints-declared, custom-check");
    assertThat(text).doesNotContain("m1");
  }

  @Test
  void textStripsControlCharacters() {
    CheckReport report =
        CheckReport.of(
            "s",
            1,
            List.of(
                new StandardResult(
                    "x",
                    "T",
                    Severity.ERROR,
                    Outcome.FAIL,
                    "msg",
                    List.of("a\u001b]0;pwned\u0007"),
                    null)));
    assertThat(report.toText()).doesNotContain("\u001b").doesNotContain("\u0007");
  }

  @Test
  void resultsRefuseInconsistentFields() {
    assertThatThrownBy(
            () ->
                new StandardResult(
                    "x", "t", Severity.ERROR, Outcome.PASS, "m", List.of("offender"), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new StandardResult("x", "t", Severity.ERROR, Outcome.ERROR, "m", List.of(), null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertNoFloats(JsonNode node) {
    assertThat(node.isFloatingPointNumber()).isFalse();
    node.forEach(CheckReportTest::assertNoFloats);
  }
}
