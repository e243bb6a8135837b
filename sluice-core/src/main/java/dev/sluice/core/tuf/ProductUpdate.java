package dev.sluice.core.tuf;

import java.util.Objects;

/** What a change of a product's targets led to. */
public sealed interface ProductUpdate {

  /** The product's role, top-level targets, snapshot and timestamp were written, online. */
  record Written(long version) implements ProductUpdate {}

  /**
   * The product's role is signed offline: the change is in its pending metadata, which waits for
   * the holder of {@code keyId}.
   */
  record Awaiting(PendingMetadata pending, String keyId) implements ProductUpdate {
    public Awaiting {
      Objects.requireNonNull(pending, "pending");
      Objects.requireNonNull(keyId, "keyId");
    }
  }
}
