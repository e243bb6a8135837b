package dev.sluice.core.audit;

/**
 * The audit trail, as every feature that records what it did sees it inside one transaction.
 * Implemented by the store; services declare the narrowest of these they need.
 */
public interface AuditPorts {
  /** The append-only audit trail. */
  AuditTrail audit();
}
