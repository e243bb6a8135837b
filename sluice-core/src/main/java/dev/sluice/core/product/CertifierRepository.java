package dev.sluice.core.product;

import dev.sluice.trust.key.VerificationKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Certifying authorities and their public keys, current and revoked. */
public interface CertifierRepository {

  /**
   * Stores a new certifier with its keys (key-set version 1).
   *
   * @throws dev.sluice.core.SluiceException.Conflict (ALREADY_EXISTS) if the id is taken or one of
   *     the keys is already registered (to anyone)
   */
  void insert(Certifier certifier);

  /**
   * Registers another key for an existing certifier and bumps its key-set version.
   *
   * @return the certifier's new key-set version
   * @throws dev.sluice.core.SluiceException.Conflict (ALREADY_EXISTS) if the key is registered (now
   *     or ever, to anyone)
   */
  int addKey(CertifierId certifier, VerificationKey key, Instant at);

  /**
   * Revokes one of the certifier's current keys and bumps its key-set version. The key stays on
   * record (sign-offs name it) but is no longer current.
   *
   * @return the certifier's new key-set version
   * @throws dev.sluice.core.SluiceException.NotFound if the certifier has no such current key
   */
  int revokeKey(CertifierId certifier, String keyId, Instant at);

  /** Changes the certifier's display name; false if there is no such certifier. */
  boolean setDisplayName(CertifierId id, String displayName);

  /** The certifier with its current keys. */
  Optional<Certifier> find(CertifierId id);

  /** All certifiers with their current keys, ordered by id. */
  List<Certifier> list();

  /**
   * At most {@code limit} certifiers with their current keys in id order, those past {@code after}
   * when it is given.
   */
  List<Certifier> list(Optional<CertifierId> after, int limit);

  /** Every key the certifier has had, in the order they were added. */
  List<CertifierKeyHistory> keyHistory(CertifierId id);
}
