package dev.sluice.core.audit;

import java.util.List;

/** The append-only audit trail. There is deliberately no way to change or remove an event. */
public interface AuditTrail {

  /** Appends the event and returns it with its assigned, strictly increasing sequence number. */
  AuditEvent append(AuditEvent draft);

  /** Events in sequence order. */
  List<AuditEvent> list(AuditQuery query);
}
