package dev.sluice.store;

import dev.sluice.store.db.Dialect;
import dev.sluice.store.testing.TestDatabases;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * The filter properties on PostgreSQL. Skipped without {@code SLUICE_TEST_PG_URL}, unless
 * PostgreSQL is required (CI), where setting up the database then fails.
 */
@AddLifecycleHook(PostgresFilterSqlProperties.SkipWithoutPostgres.class)
class PostgresFilterSqlProperties extends FilterSqlProperties {
  @Override
  protected Dialect dialect() {
    return Dialect.POSTGRESQL;
  }

  /** jqwik does not honour JUnit assumptions in lifecycle methods; this skips explicitly. */
  static final class SkipWithoutPostgres implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
      if (TestDatabases.postgresConfigured() || TestDatabases.postgresRequired()) {
        return SkipResult.doNotSkip();
      }
      return SkipResult.skip(
          "PostgreSQL tests need " + TestDatabases.PG_URL_ENV + " (a jdbc:postgresql:// URL)");
    }
  }
}
