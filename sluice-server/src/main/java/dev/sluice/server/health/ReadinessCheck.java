package dev.sluice.server.health;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Something the server finishes after it listens, which {@code /api/v1/ready} waits for.
 *
 * @param kind the problem's kind in the readiness report, e.g. {@code log_starting}
 * @param notReady why the server is not ready yet (or no longer); empty when this is done
 */
public record ReadinessCheck(String kind, Supplier<Optional<String>> notReady) {
  public ReadinessCheck {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(notReady, "notReady");
  }
}
