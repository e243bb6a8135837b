package dev.sluice.store.testing;

import dev.sluice.store.db.Database;

/**
 * A fresh, migrated database for one test. Closing it closes the pool and removes the database (the
 * SQLite file, or the PostgreSQL schema).
 */
public interface TestDatabase extends AutoCloseable {

  Database database();

  /** The JDBC URL the database was opened with, e.g. to open a second pool onto it. */
  String jdbcUrl();

  @Override
  void close();
}
