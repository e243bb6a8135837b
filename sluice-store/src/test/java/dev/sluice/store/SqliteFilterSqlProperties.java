package dev.sluice.store;

import dev.sluice.store.db.Dialect;

class SqliteFilterSqlProperties extends FilterSqlProperties {
  @Override
  protected Dialect dialect() {
    return Dialect.SQLITE;
  }
}
