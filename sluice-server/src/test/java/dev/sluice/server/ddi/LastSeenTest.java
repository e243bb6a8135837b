package dev.sluice.server.ddi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.Device;
import dev.sluice.core.port.Repositories;
import dev.sluice.core.port.Transactions;
import dev.sluice.core.product.Certifier;
import dev.sluice.core.product.Product;
import dev.sluice.store.Fixtures;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batched last-seen writes, on a real SQLite database. */
class LastSeenTest {
  private static final int DEVICES = 2 * LastSeen.CHUNK + 500;
  private static final Instant SEEN = Fixtures.at(60);

  private TestDatabase test;
  private JdbiTransactions store;

  /** Write transactions begun so far; the one numbered {@code failWrite} (from 0) fails. */
  private int writes;

  private int failWrite = -1;

  private final Transactions counted =
      new Transactions() {
        @Override
        public <T> T write(Function<? super Repositories, T> work) {
          if (writes++ == failWrite) {
            throw new IllegalStateException("the database went away");
          }
          return store.write(work);
        }

        @Override
        public <T> T read(Function<? super Repositories, T> work) {
          return store.read(work);
        }
      };

  @BeforeEach
  void registeredDevices() {
    test = TestDatabases.freshSqlite();
    store = new JdbiTransactions(test.database());
    Certifier lab = Fixtures.certifier("lab");
    Product product = Fixtures.product("acme-phone", List.of(lab), 1);
    store.write(
        repos -> {
          repos.certifiers().insert(lab);
          repos.products().insert(product);
          for (int i = 0; i < DEVICES; i++) {
            repos
                .devices()
                .insert(
                    Device.registered(device(i), product.name(), Set.of(), Fixtures.T0),
                    Sha256.of(device(i).value().getBytes(StandardCharsets.US_ASCII)));
          }
          return null;
        });
  }

  @AfterEach
  void closeDatabase() {
    test.close();
  }

  @Test
  void aLargeFlushIsWrittenInBoundedTransactions() {
    LastSeen lastSeen = new LastSeen(counted);
    for (int i = 0; i < DEVICES; i++) {
      lastSeen.seen(device(i), SEEN);
    }
    assertThat(lastSeen.runOnce()).isEqualTo(DEVICES);
    assertThat(writes).isEqualTo(3);
    for (int i = 0; i < DEVICES; i++) {
      assertThat(lastSeenOf(device(i))).contains(SEEN);
    }
  }

  @Test
  void aFailedTransactionKeepsItsDevicesAndTheRestForTheNextRun() {
    LastSeen lastSeen = new LastSeen(counted);
    for (int i = 0; i < DEVICES; i++) {
      lastSeen.seen(device(i), SEEN);
    }
    failWrite = 1;
    assertThat(lastSeen.runOnce()).isEqualTo(LastSeen.CHUNK);
    assertThat(lastSeenOf(device(LastSeen.CHUNK))).isEmpty();
    assertThat(lastSeenOf(device(DEVICES - 1))).isEmpty();

    failWrite = -1;
    assertThat(lastSeen.runOnce()).isEqualTo(DEVICES - LastSeen.CHUNK);
    for (int i = 0; i < DEVICES; i++) {
      assertThat(lastSeenOf(device(i))).contains(SEEN);
    }
  }

  private Optional<Instant> lastSeenOf(ControllerId id) {
    return store.read(repos -> repos.devices().find(id).orElseThrow().lastSeen());
  }

  private static ControllerId device(int i) {
    return new ControllerId(String.format("dev-%05d", i));
  }
}
