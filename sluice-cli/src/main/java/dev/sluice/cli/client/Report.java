package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** A standards check report: typed accessors over the JSON the server sent. */
public record Report(JsonNode json) {
  public Report {
    Fields.object(json, "a check report");
    Fields.text(json, "verdict");
  }

  /** The outcome of one standard. */
  public record Result(
      String id,
      String title,
      String severity,
      String outcome,
      String message,
      List<String> offenders,
      Optional<String> error) {

    public boolean passed() {
      return outcome.equals("pass");
    }
  }

  /** {@code passed} or {@code blocked}. */
  public String verdict() {
    return Fields.text(json, "verdict");
  }

  public boolean passed() {
    return verdict().equals("passed");
  }

  public String standardsSetId() {
    return Fields.optionalText(json.path("standards_set"), "id").orElse("?");
  }

  public long standardsVersion() {
    return json.path("standards_set").path("version").asLong();
  }

  public List<Result> results() {
    return Fields.objects(json, "results").stream()
        .map(
            r ->
                new Result(
                    Fields.text(r, "id"),
                    Fields.optionalText(r, "title").orElse(""),
                    Fields.optionalText(r, "severity").orElse(""),
                    Fields.text(r, "outcome"),
                    Fields.optionalText(r, "message").orElse(""),
                    Fields.texts(r, "offenders"),
                    Fields.optionalText(r, "error")))
        .toList();
  }
}
