package dev.sluice.core.manifest;

import java.util.List;

/**
 * A release manifest was rejected. Carries every problem found, so a client can fix them all at
 * once. The root of this package's exceptions.
 */
public class ManifestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // an immutable List.copyOf of records; exceptions are not serialized
  private final List<Violation> violations;

  public ManifestException(List<Violation> violations) {
    super(summary(violations));
    this.violations = List.copyOf(violations);
  }

  /** Whether the manifest was refused for its size alone, before it was parsed. */
  public boolean tooLarge() {
    return false;
  }

  /** Every problem found, in document order where the validator reports one. */
  public List<Violation> violations() {
    return violations;
  }

  private static String summary(List<Violation> violations) {
    if (violations.isEmpty()) {
      return "the release manifest is invalid";
    }
    String first = violations.get(0).toString();
    return violations.size() == 1
        ? "the release manifest is invalid: " + first
        : "the release manifest is invalid (" + violations.size() + " problems), first: " + first;
  }
}
