package dev.sluice.store.rollout;

import dev.sluice.store.db.Dialect;

/** The rollout repository's contract on SQLite. */
class SqliteRolloutRepositoryTest extends RolloutRepositoryContract {
  @Override
  protected Dialect dialect() {
    return Dialect.SQLITE;
  }
}
