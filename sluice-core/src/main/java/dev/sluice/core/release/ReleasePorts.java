package dev.sluice.core.release;

import dev.sluice.core.audit.AuditPorts;
import dev.sluice.core.product.ProductRepository;

/**
 * What release work (create, upload, check, status notes) reads and writes inside one transaction.
 * Implemented by the store; services declare the narrowest of these they need.
 */
public interface ReleasePorts extends AuditPorts {
  /** Releases, their artifacts and check records. */
  ReleaseRepository releases();

  /** Products and their standards. */
  ProductRepository products();
}
