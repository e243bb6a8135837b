package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers on a shared PostgreSQL database (skipped unless SLUICE_TEST_PG_URL is set; required in
 * CI): an instance needs the passphrase, never generates one, and is refused clearly with another.
 */
class SharedDatabaseKeysTest {
  @TempDir Path first;
  @TempDir Path second;

  private static ServerConfig.Builder config(Path data, TestDatabase db) {
    return ServerConfig.builder(data).port(0).databaseUrl(Optional.of(db.jdbcUrl()));
  }

  private static KeyPassphrase passphrase(String value) {
    return KeyPassphrase.fromEnvironment(Map.of(KeyPassphrase.ENV, value));
  }

  @Test
  void anInstanceWithoutAPassphraseIsRefusedAndGeneratesNone() {
    try (TestDatabase db = TestDatabases.freshPostgres()) {
      assertThatThrownBy(() -> SluiceServer.start(config(first, db).build()))
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("no key passphrase")
          .hasMessageContaining(KeyPassphrase.ENV)
          .hasMessageContaining("--key-passphrase-file");
      assertThat(LogKeys.generatedPassphraseFile(first)).doesNotExist();
    }
  }

  @Test
  void anInstanceWithAnotherPassphraseIsRefusedNamingTheKey() {
    try (TestDatabase db = TestDatabases.freshPostgres()) {
      try (SluiceServer a =
          SluiceServer.start(
              config(first, db).keyPassphrase(passphrase("the right one")).build())) {
        assertThat(a.bootstrapAdminToken()).isPresent();
      }

      assertThatThrownBy(
              () ->
                  SluiceServer.start(
                      config(second, db).keyPassphrase(passphrase("another one")).build()))
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("the online key 'log' in the database")
          .hasMessageContaining("the passphrase is wrong");
    }
  }
}
