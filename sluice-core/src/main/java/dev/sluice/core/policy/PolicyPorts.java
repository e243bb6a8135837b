package dev.sluice.core.policy;

import dev.sluice.core.audit.AuditPorts;
import dev.sluice.core.product.CertifierRepository;
import dev.sluice.core.product.ProductRepository;
import dev.sluice.core.tlog.LogPorts;

/**
 * What certification-policy work reads and writes inside one transaction: the policies, the
 * products and certifiers they name, and the log they are appended to. Implemented by the store;
 * services declare the narrowest of these they need.
 */
public interface PolicyPorts extends AuditPorts, LogPorts {
  /** Products' certification policies and pending policy proposals. */
  PolicyRepository policies();

  /** Products. */
  ProductRepository products();

  /** Certifiers and their keys. */
  CertifierRepository certifiers();
}
