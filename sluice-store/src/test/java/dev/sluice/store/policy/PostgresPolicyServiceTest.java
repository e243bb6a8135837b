package dev.sluice.store.policy;

import dev.sluice.store.db.Dialect;

/**
 * The certification-policy rules and chain on PostgreSQL. CI checks that {@code
 * TEST-dev.sluice.store.policy.PostgresPolicyServiceTest.xml} reports no skips.
 */
class PostgresPolicyServiceTest extends PolicyServiceContract {
  @Override
  protected Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
