package dev.sluice.store.rollout;

import dev.sluice.store.db.Dialect;

/** The rollout repository's contract on PostgreSQL (required in CI, see .ci/run). */
class PostgresRolloutRepositoryTest extends RolloutRepositoryContract {
  @Override
  protected Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
