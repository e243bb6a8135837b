package dev.sluice.store.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import dev.sluice.core.port.Transactions;
import dev.sluice.store.db.Dialect;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TUF metadata storage on a real database, run unchanged on every dialect. */
abstract class TufStorageContract {
  private static final Instant AT = Instant.parse("2026-03-01T00:00:00Z");
  private TestDatabase test;
  private Transactions tx;

  protected abstract Dialect dialect();

  @BeforeEach
  void freshDatabase() {
    test = TestDatabases.fresh(dialect());
    tx = new JdbiTransactions(test.database());
  }

  @AfterEach
  void close() {
    if (test != null) {
      try {
        assertThat(test.database().activeConnections()).as("connections leaked").isZero();
      } finally {
        test.close();
      }
    }
  }

  @Test
  void versionsAreKeptPerRoleAndTheNewestIsFound() {
    OptionalLong none = tx.read(r -> r.tuf().latestVersion("targets"));
    assertThat(none).isEmpty();
    tx.write(
        r -> {
          r.tuf().lock();
          r.tuf().insert("targets", 1, bytes("t1"), AT);
          r.tuf().insert("targets", 2, bytes("t2"), AT);
          r.tuf().insert("acme-phone", 1, bytes("p1"), AT);
          return null;
        });
    OptionalLong latest = tx.read(r -> r.tuf().latestVersion("targets"));
    assertThat(latest).hasValue(2);
    byte[] first = tx.read(r -> r.tuf().find("targets", 1)).orElseThrow();
    assertThat(first).isEqualTo(bytes("t1"));
    Optional<byte[]> missing = tx.read(r -> r.tuf().find("acme-phone", 2));
    assertThat(missing).isEmpty();
  }

  @Test
  void aStoredVersionIsNeverOverwrittenOrDeleted() {
    tx.write(
        r -> {
          r.tuf().insert("snapshot", 1, bytes("first"), AT);
          return null;
        });
    assertThatThrownBy(
            () ->
                tx.write(
                    r -> {
                      r.tuf().insert("snapshot", 1, bytes("second"), AT);
                      return null;
                    }))
        .isInstanceOf(SluiceException.Conflict.class);
    assertThatThrownBy(
            () ->
                test.database()
                    .jdbi()
                    .useHandle(h -> h.execute("UPDATE tuf_metadata SET bytes = ?", bytes("x"))))
        .hasMessageContaining("never");
    assertThatThrownBy(
            () -> test.database().jdbi().useHandle(h -> h.execute("DELETE FROM tuf_metadata")))
        .hasMessageContaining("never");
    byte[] kept = tx.read(r -> r.tuf().find("snapshot", 1)).orElseThrow();
    assertThat(kept).isEqualTo(bytes("first"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
