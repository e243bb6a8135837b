package dev.sluice.store;

import dev.sluice.store.db.Dialect;

/** The action store on SQLite (a temp file per test). */
class SqliteActionRepositoryTest extends ActionRepositoryContract {
  @Override
  protected Dialect dialect() {
    return Dialect.SQLITE;
  }
}
