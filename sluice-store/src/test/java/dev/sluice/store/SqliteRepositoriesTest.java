package dev.sluice.store;

import dev.sluice.store.db.Dialect;

/** The persistence contract on SQLite (a temp file per test). */
class SqliteRepositoriesTest extends RepositoriesContract {
  @Override
  protected Dialect dialect() {
    return Dialect.SQLITE;
  }
}
