package dev.sluice.store;

import dev.sluice.store.db.Dialect;

/** The device store on SQLite (a temp file per test). */
class SqliteDeviceRepositoryTest extends DeviceRepositoryContract {
  @Override
  protected Dialect dialect() {
    return Dialect.SQLITE;
  }
}
