package dev.sluice.store.rollout;

import dev.sluice.store.db.Dialect;

/** Offering a page at once on SQLite. */
class SqliteOfferPageTest extends OfferPageContract {
  @Override
  protected Dialect dialect() {
    return Dialect.SQLITE;
  }
}
