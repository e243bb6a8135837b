package dev.sluice.core.token;

import dev.sluice.core.audit.AuditPorts;
import dev.sluice.core.product.CertifierRepository;
import dev.sluice.core.product.ProductRepository;

/**
 * What API token work reads and writes inside one transaction. Implemented by the store; services
 * declare the narrowest of these they need.
 */
public interface TokenPorts extends AuditPorts {
  /** Issued API tokens (digests only). */
  TokenRepository tokens();

  /** Registered certifiers (a certifier token names one). */
  CertifierRepository certifiers();

  /** Products (a token may be bound to some). */
  ProductRepository products();
}
