package dev.sluice.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the append-only audit trail: who did what to which subject, when, and why (the
 * details). {@code seq} is assigned by the trail when the event is appended.
 */
public record AuditEvent(
    long seq, Instant at, String actor, String action, String subject, JsonNode detail) {
  public AuditEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(detail, "detail");
    detail = detail.deepCopy();
  }

  /** An event not yet appended (its sequence number is assigned on append). */
  public static AuditEvent draft(
      Instant at, String actor, String action, String subject, JsonNode detail) {
    return new AuditEvent(0, at, actor, action, subject, detail);
  }
}
