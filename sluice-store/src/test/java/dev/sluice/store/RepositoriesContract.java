package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.store.db.Database;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The persistence contract, run unchanged against every dialect by one subclass each ({@link
 * SqliteRepositoriesTest}, {@link PostgresRepositoriesTest}). Each test gets a fresh database;
 * after each, the pool must have every connection back.
 */
abstract class RepositoriesContract {
  private TestDatabase test;
  protected Database db;

  protected abstract Dialect dialect();

  @BeforeEach
  void openFreshDatabase() {
    test = TestDatabases.fresh(dialect());
    db = test.database();
  }

  @AfterEach
  void everyConnectionIsReturnedAndTheDatabaseIsRemoved() {
    if (test == null) {
      return;
    }
    try {
      assertThat(db.activeConnections()).as("connections still borrowed (a leak)").isZero();
    } finally {
      test.close();
    }
  }

  @Test
  void databaseReportsItsDialect() {
    assertThat(db.dialect()).isEqualTo(dialect());
  }

  @Test
  void auditEventsCannotBeUpdatedOrDeleted() {
    db.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO audit_events (at, actor, action, subject, detail_json)"
                        + " VALUES (1, 'admin', 'product.create', 'p', '{}')"));

    assertThatThrownBy(
            () -> db.jdbi().useHandle(h -> h.execute("UPDATE audit_events SET actor = 'mallory'")))
        .isInstanceOf(JdbiException.class)
        .hasStackTraceContaining("append-only");
    assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("DELETE FROM audit_events")))
        .isInstanceOf(JdbiException.class)
        .hasStackTraceContaining("append-only");
    if (dialect() == Dialect.POSTGRESQL) {
      assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("TRUNCATE audit_events")))
          .isInstanceOf(JdbiException.class)
          .hasStackTraceContaining("append-only");
    }
    String actor =
        db.jdbi()
            .withHandle(
                h -> h.createQuery("SELECT actor FROM audit_events").mapTo(String.class).one());
    assertThat(actor).isEqualTo("admin");
  }

  @Test
  void foreignKeysAreEnforced() {
    assertThatThrownBy(
            () ->
                db.jdbi()
                    .useHandle(
                        h ->
                            h.execute(
                                "INSERT INTO certifier_keys (key_id, certifier_id, key_json,"
                                    + " added_at) VALUES ('k', 'nobody', '{}', 1)")))
        .isInstanceOf(JdbiException.class);
  }
}
