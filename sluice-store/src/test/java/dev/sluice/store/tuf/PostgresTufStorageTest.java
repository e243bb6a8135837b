package dev.sluice.store.tuf;

import dev.sluice.store.db.Dialect;

/** TUF metadata storage on PostgreSQL (a schema per test in {@code SLUICE_TEST_PG_URL}). */
class PostgresTufStorageTest extends TufStorageContract {
  @Override
  protected Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
