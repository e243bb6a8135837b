package dev.sluice.server.web;

import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;

class SqliteSessionsTest extends SessionsContract {
  @Override
  TestDatabase freshDatabase() {
    return TestDatabases.freshSqlite();
  }
}
