package dev.sluice.core.device;

import dev.sluice.core.audit.AuditPorts;
import dev.sluice.core.product.ProductRepository;

/**
 * What device registration and credentials read and write inside one transaction. Implemented by
 * the store; services declare the narrowest of these they need.
 */
public interface DevicePorts extends AuditPorts {
  /** Registered devices. */
  DeviceRepository devices();

  /** The feed of devices whose poll answer may have changed. */
  DeviceChangeFeed deviceChanges();

  /** Idempotency keys of bulk registrations. */
  IdempotencyKeys idempotencyKeys();

  /** Products (a device runs one). */
  ProductRepository products();
}
