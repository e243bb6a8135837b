package dev.sluice.core.tuf;

import dev.sluice.core.product.ProductName;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.tuf.model.RoleType;

/**
 * The TUF repository's online signing keys: targets, snapshot and timestamp, and one delegated
 * targets key per product (created the first time it is asked for). Implementations keep them
 * encrypted at rest; the root keys are never among them.
 */
public interface OnlineKeys {

  /**
   * The key of a top-level online role.
   *
   * @throws IllegalArgumentException for {@link RoleType#ROOT}, which is offline
   */
  SigningKey role(RoleType type);

  /** The product's delegated targets key, created on first use. */
  SigningKey product(ProductName product);
}
