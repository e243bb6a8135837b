package dev.sluice.store.tuf;

import dev.sluice.store.db.Dialect;

/** TUF metadata storage on SQLite (a temp file per test). */
class SqliteTufStorageTest extends TufStorageContract {
  @Override
  protected Dialect dialect() {
    return Dialect.SQLITE;
  }
}
