package dev.sluice.store;

import dev.sluice.store.db.Dialect;

class PostgresFilterSqlProperties extends FilterSqlProperties {
  @Override
  protected Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
