package dev.sluice.store.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.store.Fixtures;
import dev.sluice.store.StoreException;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A read on PostgreSQL is one read-only snapshot (the contract's tests): it cannot write, and it
 * leaves the pooled connection as it found it for the next write.
 */
class PostgresReadTransactionTest extends ReadTransactionContract {
  private TestDatabase test;
  private JdbiTransactions tx;

  @BeforeEach
  void open() {
    test = TestDatabases.fresh(Dialect.POSTGRESQL);
    tx = new JdbiTransactions(test.database());
  }

  @AfterEach
  void close() {
    if (test != null) {
      test.close();
    }
  }

  @Override
  JdbiTransactions transactions() {
    return tx;
  }

  @Test
  void aReadCannotWrite() {
    assertThatThrownBy(
            () ->
                tx.read(
                    repos -> {
                      repos.certifiers().insert(Fixtures.certifier("sneaky"));
                      return null;
                    }))
        .isInstanceOf(StoreException.class);
    assertThat(certifiers(tx)).isZero();
    // The same pooled connections still write.
    for (int i = 0; i < 12; i++) {
      addCertifier(tx, "lab-" + i);
    }
    assertThat(certifiers(tx)).isEqualTo(12);
  }
}
