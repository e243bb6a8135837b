package dev.sluice.store;

import dev.sluice.store.db.Dialect;

/**
 * The persistence contract on PostgreSQL (a schema per test in {@code SLUICE_TEST_PG_URL}). CI
 * checks that {@code TEST-dev.sluice.store.PostgresRepositoriesTest.xml} reports no skips.
 */
class PostgresRepositoriesTest extends RepositoriesContract {
  @Override
  protected Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
