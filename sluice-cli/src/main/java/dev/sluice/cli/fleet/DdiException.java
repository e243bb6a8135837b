package dev.sluice.cli.fleet;

import java.util.OptionalInt;

/**
 * A DDI exchange of a simulated device went wrong: the server refused it, it broke, or what came
 * back breaks the protocol (a download whose SHA-256 differs, say). The device counts an error and
 * carries on; it never ends the simulation.
 */
final class DdiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  DdiException(String message) {
    this(message, 0, null);
  }

  DdiException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status the server answered with, if it answered. */
  OptionalInt status() {
    return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }
}
