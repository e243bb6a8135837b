package dev.sluice.store.db;

import dev.sluice.store.StoreException;

/**
 * The database's schema was migrated by a newer Sluice than this one: its history holds a migration
 * this build does not carry, so this build does not know its tables. Nothing was changed; the
 * message names both versions and what to do.
 */
public final class NewerSchemaException extends StoreException {
  private static final long serialVersionUID = 1L;

  NewerSchemaException(String message) {
    super(message);
  }
}
