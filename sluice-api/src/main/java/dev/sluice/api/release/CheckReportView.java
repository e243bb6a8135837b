package dev.sluice.api.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * A standards check report as a client reads it. The server builds and hashes the report as a tree
 * (its digest is recorded), so this record is only for reading.
 *
 * @param verdict {@code passed} or {@code blocked}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckReportView(String verdict, SetRef standardsSet, List<Result> results) {
  public CheckReportView {
    results = Lists.copy(results);
  }

  /** Which standards set, at which version, the release was checked against. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SetRef(String id, long version) {}

  /**
   * The outcome of one standard.
   *
   * @param outcome {@code pass}, {@code fail} or {@code error}
   * @param error why the expression could not be evaluated, if it could not
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Result(
      String id,
      String title,
      String severity,
      String outcome,
      String message,
      List<String> offenders,
      @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
    public Result {
      title = title == null ? "" : title;
      severity = severity == null ? "" : severity;
      message = message == null ? "" : message;
      offenders = Lists.copy(offenders);
    }

    public boolean passed() {
      return "pass".equals(outcome);
    }

    public Optional<String> errorIfAny() {
      return Optional.ofNullable(error);
    }
  }
}
