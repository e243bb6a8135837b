package dev.sluice.core.action;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A release assigned to one device, and where it stands.
 *
 * @param id the id the device sees
 * @param spec what was assigned
 * @param status where it stands
 * @param createdAt when it was assigned
 * @param updatedAt when its status last changed (the in-progress timeout counts from here)
 * @param lastMessage the last detail the device or Sluice recorded (failure reason, cancel reason)
 */
public record Action(
    ActionId id,
    NewAction spec,
    ActionStatus status,
    Instant createdAt,
    Instant updatedAt,
    Optional<String> lastMessage) {

  public Action {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(lastMessage, "lastMessage");
  }

  public Action withStatus(ActionStatus next, Instant at, Optional<String> message) {
    return new Action(id, spec, next, createdAt, at, message.or(() -> lastMessage));
  }
}
