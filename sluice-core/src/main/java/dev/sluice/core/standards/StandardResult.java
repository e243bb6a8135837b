package dev.sluice.core.standards;

import dev.sluice.core.standards.CheckReport.Outcome;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one standard for one release. On {@link Outcome#FAIL}, {@code offenders} lists
 * what made it fail (when the standard has an offenders expression); {@code errorDetail} says why
 * evaluation went wrong (always on {@link Outcome#ERROR}; on a failure when only the offenders
 * expression went wrong), else it is {@code null}.
 */
public record StandardResult(
    String id,
    String title,
    Severity severity,
    Outcome outcome,
    String message,
    List<String> offenders,
    String errorDetail) {

  public StandardResult {
    Checks.slug(id, "a standard's id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(message, "message");
    offenders = List.copyOf(offenders);
    if (outcome != Outcome.FAIL && !offenders.isEmpty()) {
      throw new IllegalArgumentException("only a failed standard has offenders: " + id);
    }
    if (outcome == Outcome.ERROR && errorDetail == null) {
      throw new IllegalArgumentException("an ERROR outcome needs an error detail: " + id);
    }
    if (outcome == Outcome.PASS && errorDetail != null) {
      throw new IllegalArgumentException("a passed standard has no error detail: " + id);
    }
  }

  /** Whether this result blocks the release: an error-severity standard that did not pass. */
  public boolean blocks() {
    return severity == Severity.ERROR && outcome != Outcome.PASS;
  }
}
