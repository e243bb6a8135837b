package dev.sluice.core.tuf;

import dev.sluice.trust.key.VerificationKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Delegated targets roles signed offline: the registered public key of each, and the next version
 * of a role's metadata while it waits for its holder's signature (at most one per role).
 */
public interface OfflineRoleStorage {

  /** The role's offline key, if it is signed offline. */
  Optional<VerificationKey> key(String role);

  /** Every offline role's key, by role name. */
  Map<String, VerificationKey> keys();

  /** Registers (or replaces) the role's offline key. */
  void putKey(String role, VerificationKey key, Instant at);

  /** The role is signed online again. */
  void removeKey(String role);

  Optional<PendingMetadata> pending(String role);

  /** Every role's pending metadata, by role name. */
  List<PendingMetadata> allPending();

  /** Stores (or replaces) the role's pending metadata. */
  void putPending(PendingMetadata pending);

  void removePending(String role);
}
