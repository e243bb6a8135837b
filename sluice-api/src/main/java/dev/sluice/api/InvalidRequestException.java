package dev.sluice.api;

import java.util.List;

/**
 * A request body that cannot be read at all (not JSON, not an object, too deep): there is nothing
 * more to report than this one problem.
 */
public final class InvalidRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient WireViolation violation;

  public InvalidRequestException(String message) {
    super(message);
    this.violation = new WireViolation("", message);
  }

  public List<WireViolation> violations() {
    return List.of(violation);
  }
}
