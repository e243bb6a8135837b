package dev.sluice.core.standards;

import java.util.Objects;

/**
 * What is wrong with one standard of a set (it does not compile, has the wrong result type, ...).
 * {@code standardId} is empty when the problem concerns the set as a whole.
 */
public record StandardProblem(String standardId, String message) {
  public StandardProblem {
    Objects.requireNonNull(standardId, "standardId");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return standardId.isEmpty() ? message : standardId + ": " + message;
  }
}
