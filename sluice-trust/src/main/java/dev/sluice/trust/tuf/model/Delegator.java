package dev.sluice.trust.tuf.model;

import dev.sluice.trust.key.VerificationKey;
import java.util.Map;
import java.util.Optional;

/**
 * Metadata that names the keys trusted for other roles: root for the top-level roles, targets (and
 * delegated targets) for the roles they delegate to.
 */
public sealed interface Delegator permits Root, Targets {
  /** Every key this delegator knows, by key id (each id checked against its key). */
  Map<String, VerificationKey> keys();

  /** The key ids and threshold of the named role, if this delegator delegates to it. */
  Optional<RoleKeys> roleKeys(String roleName);
}
