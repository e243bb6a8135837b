package dev.sluice.store.tlog;

import dev.sluice.store.db.Dialect;

/** The transparency log on SQLite (a temp file per test). */
class SqliteLogTest extends LogContract {
  @Override
  protected Dialect dialect() {
    return Dialect.SQLITE;
  }
}
