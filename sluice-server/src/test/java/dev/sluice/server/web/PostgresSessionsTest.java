package dev.sluice.server.web;

import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;

/** Skipped unless SLUICE_TEST_PG_URL is set; required in CI. */
class PostgresSessionsTest extends SessionsContract {
  @Override
  TestDatabase freshDatabase() {
    return TestDatabases.freshPostgres();
  }
}
