package dev.sluice.cli.fleet;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A DDI exchange of a simulated device went wrong: the server refused it, it broke, or what came
 * back breaks the protocol (a download whose SHA-256 differs, say). The device counts an error and
 * carries on; it never ends the simulation.
 */
final class DdiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final long retryAfterMillis;

  DdiException(String message) {
    this(message, 0, null);
  }

  DdiException(String message, int status, Throwable cause) {
    this(message, status, Optional.empty(), cause);
  }

  DdiException(String message, int status, Optional<Duration> retryAfter, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.retryAfterMillis = retryAfter.map(Duration::toMillis).orElse(-1L);
  }

  /** How long the server asked the device to wait ({@code 429} with {@code Retry-After}). */
  Optional<Duration> retryAfter() {
    return retryAfterMillis < 0
        ? Optional.empty()
        : Optional.of(Duration.ofMillis(retryAfterMillis));
  }

  /** The HTTP status the server answered with, if it answered. */
  OptionalInt status() {
    return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }
}
