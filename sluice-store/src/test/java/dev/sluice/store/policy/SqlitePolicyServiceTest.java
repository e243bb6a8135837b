package dev.sluice.store.policy;

import dev.sluice.store.db.Dialect;

/** The certification-policy rules on SQLite. */
class SqlitePolicyServiceTest extends PolicyServiceContract {
  @Override
  protected Dialect dialect() {
    return Dialect.SQLITE;
  }
}
