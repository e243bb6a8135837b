package dev.sluice.core.key;

import java.util.List;
import java.util.Optional;

/** The online keys kept in the database, sealed; a key once stored is never replaced. */
public interface SealedKeyRepository {

  /** The key of that name, if stored. */
  Optional<SealedKey> find(KeyName name);

  /**
   * Stores {@code key} unless a key of its name is stored already (by another instance, perhaps at
   * this very moment); returns whether this call stored it.
   */
  boolean insertIfAbsent(SealedKey key);

  /** Every stored key, by name. */
  List<SealedKey> list();
}
