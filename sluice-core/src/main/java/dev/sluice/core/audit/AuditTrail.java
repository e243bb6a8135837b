package dev.sluice.core.audit;

import java.util.List;

/** The append-only audit trail. There is deliberately no way to change or remove an event. */
public interface AuditTrail {

  /** Appends the event and returns it with its assigned, strictly increasing sequence number. */
  AuditEvent append(AuditEvent draft);

  /**
   * Like {@link #append} of each draft in list order (sequence numbers increase along the list),
   * with multi-row statements; returns the events in the same order.
   */
  List<AuditEvent> appendAll(List<AuditEvent> drafts);

  /** Events in sequence order. */
  List<AuditEvent> list(AuditQuery query);
}
