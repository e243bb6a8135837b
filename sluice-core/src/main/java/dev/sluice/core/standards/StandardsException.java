package dev.sluice.core.standards;

import java.util.List;

/**
 * A standards set, a standard or a check report is invalid: malformed JSON, an expression that does
 * not compile or has the wrong type. Lists each problem with the id of the standard at fault. The
 * root of this package's exceptions; an {@link IllegalArgumentException}, since it always means the
 * input (a set, a standard, a stored report) is at fault.
 */
public class StandardsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // an immutable List.copyOf of records; exceptions are not serialized
  private final List<StandardProblem> problems;

  public StandardsException(List<StandardProblem> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  public StandardsException(String message, Throwable cause) {
    super(message, cause);
    this.problems = List.of(new StandardProblem("", message));
  }

  /** Every problem found; at least one. */
  public List<StandardProblem> problems() {
    return problems;
  }

  /** The ids of the standards at fault, in order, without duplicates. */
  public List<String> standardIds() {
    return problems.stream()
        .map(StandardProblem::standardId)
        .filter(id -> !id.isEmpty())
        .distinct()
        .toList();
  }

  private static String summary(List<StandardProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a StandardsException lists at least one problem");
    }
    StringBuilder sb = new StringBuilder("invalid standards: ");
    for (int i = 0; i < problems.size(); i++) {
      sb.append(i == 0 ? "" : "; ").append(problems.get(i));
    }
    return sb.toString();
  }
}
