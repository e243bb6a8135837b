package dev.sluice.store.tlog;

import dev.sluice.store.db.Dialect;

/** The transparency log on PostgreSQL (a schema per test in {@code SLUICE_TEST_PG_URL}). */
class PostgresLogTest extends LogContract {
  @Override
  protected Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
