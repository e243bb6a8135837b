package dev.sluice.core.key;

import dev.sluice.core.audit.AuditPorts;

/** What keeping online keys reads and writes inside one transaction. Implemented by the store. */
public interface KeyPorts extends AuditPorts {
  /** The sealed online keys. */
  SealedKeyRepository sealedKeys();
}
