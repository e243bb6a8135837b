package dev.sluice.store;

import dev.sluice.store.db.Dialect;

/** The device store on PostgreSQL (a schema per test in {@code SLUICE_TEST_PG_URL}). */
class PostgresDeviceRepositoryTest extends DeviceRepositoryContract {
  @Override
  protected Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
