package dev.sluice.store;

import dev.sluice.store.db.Dialect;

/** The action store on PostgreSQL (a schema per test in {@code SLUICE_TEST_PG_URL}). */
class PostgresActionRepositoryTest extends ActionRepositoryContract {
  @Override
  protected Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
