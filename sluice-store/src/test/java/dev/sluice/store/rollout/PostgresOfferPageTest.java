package dev.sluice.store.rollout;

import dev.sluice.store.db.Dialect;

/** Offering a page at once on PostgreSQL (required in CI). */
class PostgresOfferPageTest extends OfferPageContract {
  @Override
  protected Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
