package dev.sluice.core.port;

import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.CertifierId;
import dev.sluice.trust.key.VerificationKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Certifying authorities and their registered public keys. */
public interface CertifierRepository {

  /**
   * Stores a new certifier with its keys.
   *
   * @throws dev.sluice.core.SluiceException.Conflict (ALREADY_EXISTS) if the id is taken or one of
   *     the keys is already registered (to anyone)
   */
  void insert(Certifier certifier);

  /**
   * Registers another key for an existing certifier (key rotation).
   *
   * @throws dev.sluice.core.SluiceException.Conflict (ALREADY_EXISTS) if the key is registered
   */
  void addKey(CertifierId certifier, VerificationKey key, Instant at);

  Optional<Certifier> find(CertifierId id);

  /** All certifiers, ordered by id. */
  List<Certifier> list();
}
