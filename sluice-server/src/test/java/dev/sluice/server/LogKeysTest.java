package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.audit.AuditEvent;
import dev.sluice.core.audit.AuditQuery;
import dev.sluice.core.key.SealedKey;
import dev.sluice.core.key.SealedKeys;
import dev.sluice.server.keys.OnlineKeyVault;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.key.EncryptedKeyFiles;
import dev.sluice.trust.tlog.NoteSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log key in the database: created once, imported from an older data directory, refused. */
class LogKeysTest {
  private static final String ORIGIN = "example.com/log";
  private static final char[] PASSPHRASE = "s3cret phrase".toCharArray();

  @TempDir Path data;
  private TestDatabase db;

  @BeforeEach
  void open() {
    db = TestDatabases.freshSqlite();
  }

  @AfterEach
  void close() {
    db.close();
  }

  private OnlineKeyVault vault(TestDatabase database, char[] passphrase) {
    return new OnlineKeyVault(
        new SealedKeys(new JdbiTransactions(database.database())),
        data.resolve("keys"),
        passphrase,
        Clock.systemUTC());
  }

  private Optional<SealedKey> stored(TestDatabase database) {
    return new SealedKeys(new JdbiTransactions(database.database())).find(LogKeys.NAME);
  }

  private List<AuditEvent> keyEvents(TestDatabase database) {
    return new JdbiTransactions(database.database())
        .read(repos -> repos.audit().list(new AuditQuery(Optional.of("key/log"), 0, 100)));
  }

  @Test
  void theKeyIsCreatedOnceInTheDatabaseAndReopenedFromIt() {
    NoteSigner created = LogKeys.load(vault(db, PASSPHRASE), ORIGIN);
    NoteSigner reopened = LogKeys.load(vault(db, PASSPHRASE), ORIGIN);

    assertThat(reopened.verifier()).isEqualTo(created.verifier());
    assertThat(created.name()).isEqualTo(ORIGIN);
    assertThat(stored(db).orElseThrow().sealed())
        .contains("AES-256-GCM")
        .contains(created.verifier().vkey())
        .doesNotContain(created.exportPrivateKey());
    assertThat(LogKeys.keyFile(data)).doesNotExist();
    assertThat(keyEvents(db)).extracting(AuditEvent::action).containsExactly("key.created");
  }

  @Test
  void aWrongPassphraseIsRefusedNamingTheKeyAndWhatToDo() {
    LogKeys.load(vault(db, PASSPHRASE), ORIGIN);

    assertThatThrownBy(() -> LogKeys.load(vault(db, "not it".toCharArray()), ORIGIN))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("the online key 'log' in the database")
        .hasMessageContaining("the passphrase is wrong")
        .hasMessageContaining(KeyPassphrase.ENV);
  }

  @Test
  void anotherOriginIsRefusedWithTheOriginToStartWith() {
    LogKeys.load(vault(db, PASSPHRASE), ORIGIN);

    assertThatThrownBy(() -> LogKeys.load(vault(db, PASSPHRASE), "other.example/log"))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("belongs to the log '" + ORIGIN + "'")
        .hasMessageContaining("--log-origin " + ORIGIN);
  }

  @Test
  void aKeyFileOfAnOlderDataDirectoryIsImportedOnceAndTheDatabaseIsUsedAfterwards()
      throws Exception {
    NoteSigner legacy = NoteSigner.generate(ORIGIN);
    writeLegacyKeyFile(legacy, PASSPHRASE);

    NoteSigner imported = LogKeys.load(vault(db, PASSPHRASE), ORIGIN);
    Files.delete(LogKeys.keyFile(data));
    NoteSigner afterwards = LogKeys.load(vault(db, PASSPHRASE), ORIGIN);

    assertThat(imported.verifier()).isEqualTo(legacy.verifier());
    assertThat(afterwards.verifier()).isEqualTo(legacy.verifier());
    assertThat(keyEvents(db)).extracting(AuditEvent::action).containsExactly("key.imported");
  }

  @Test
  void aKeyFileThatDoesNotOpenIsNotImported() throws Exception {
    writeLegacyKeyFile(NoteSigner.generate(ORIGIN), "another phrase".toCharArray());

    assertThatThrownBy(() -> LogKeys.load(vault(db, PASSPHRASE), ORIGIN))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining(LogKeys.keyFile(data).toString())
        .hasMessageContaining("the passphrase is wrong");
    assertThat(stored(db)).isEmpty();
  }

  @Test
  void aKeyFileHoldingAnotherKindOfKeyIsNotImported() throws Exception {
    EncryptedKeyFiles.write(
        LogKeys.keyFile(data),
        "not a note key".getBytes(StandardCharsets.US_ASCII),
        Map.of("purpose", "sluice.tuf-key/v1", "role", "targets"),
        PASSPHRASE,
        EncryptedKeyFiles.MIN_ITERATIONS,
        false);

    assertThatThrownBy(() -> LogKeys.load(vault(db, PASSPHRASE), ORIGIN))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("is not a sluice.log-key/v1 key");
    assertThat(stored(db)).isEmpty();
  }

  @Test
  void aMalformedSecretUnderTheRightAttributesIsNotImported() throws Exception {
    EncryptedKeyFiles.write(
        LogKeys.keyFile(data),
        "PRIVATE+KEY+example.com/log+00000000+AAAA".getBytes(StandardCharsets.US_ASCII),
        Map.of("purpose", "sluice.log-key/v1", "origin", ORIGIN, "vkey", "x"),
        PASSPHRASE,
        EncryptedKeyFiles.MIN_ITERATIONS,
        false);

    assertThatThrownBy(() -> LogKeys.load(vault(db, PASSPHRASE), ORIGIN))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("does not hold a valid log key");
    assertThat(stored(db)).isEmpty();
  }

  @Test
  void instancesStartingTogetherOnOnePostgresDatabaseEndWithOneKey() throws Exception {
    try (TestDatabase shared = TestDatabases.freshPostgres();
        TestDatabase second = second(shared);
        ExecutorService pool = Executors.newFixedThreadPool(2)) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<NoteSigner>> starts = new ArrayList<>();
      for (TestDatabase instance : List.of(shared, second)) {
        OnlineKeyVault vault = vault(instance, PASSPHRASE);
        starts.add(
            pool.submit(
                () -> {
                  go.await();
                  return LogKeys.load(vault, ORIGIN);
                }));
      }
      go.countDown();
      NoteSigner a = starts.get(0).get();
      NoteSigner b = starts.get(1).get();

      assertThat(a.verifier()).isEqualTo(b.verifier());
      assertThat(stored(shared).orElseThrow().sealed()).contains(a.verifier().vkey());
      assertThat(keyEvents(shared)).extracting(AuditEvent::action).containsExactly("key.created");
    }
  }

  /** A second pool onto the same PostgreSQL schema, as a second instance would open. */
  private static TestDatabase second(TestDatabase first) {
    var database = dev.sluice.store.db.Database.open(first.jdbcUrl());
    return new TestDatabase() {
      @Override
      public dev.sluice.store.db.Database database() {
        return database;
      }

      @Override
      public String jdbcUrl() {
        return first.jdbcUrl();
      }

      @Override
      public void close() {
        database.close();
      }
    };
  }

  // ---- the passphrase

  @Test
  void aSuppliedPassphraseFileIsUsedWithoutItsTrailingNewlineAndNothingIsGenerated()
      throws Exception {
    Path file = data.resolve("secret");
    Files.writeString(file, "s3cret phrase\n");

    char[] passphrase = LogKeys.passphrase(data, Optional.of(file), Optional.empty(), true, false);

    assertThat(new String(passphrase)).isEqualTo("s3cret phrase");
    assertThat(LogKeys.generatedPassphraseFile(data)).doesNotExist();
  }

  @Test
  void existingKeysWithoutAnyPassphraseSourceAreRefusedWithAHint() {
    assertThatThrownBy(
            () -> LogKeys.passphrase(data, Optional.empty(), Optional.empty(), false, false))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining(LogKeys.PASSPHRASE_ENV)
        .hasMessageContaining("--key-passphrase-file");
    assertThat(LogKeys.generatedPassphraseFile(data)).doesNotExist();
  }

  @Test
  void withoutAPassphraseOneIsGeneratedOnTheFirstStartOfAnEmbeddedDatabase() throws Exception {
    char[] generated = LogKeys.passphrase(data, Optional.empty(), Optional.empty(), true, false);
    char[] again = LogKeys.passphrase(data, Optional.empty(), Optional.empty(), false, false);

    assertThat(Files.readString(LogKeys.generatedPassphraseFile(data)).strip()).hasSize(43);
    assertThat(again).isEqualTo(generated);
  }

  @Test
  void onASharedDatabaseNoPassphraseIsGenerated() {
    assertThatThrownBy(
            () -> LogKeys.passphrase(data, Optional.empty(), Optional.empty(), true, true))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("shared (PostgreSQL) database")
        .hasMessageContaining(LogKeys.PASSPHRASE_ENV);
    assertThat(LogKeys.generatedPassphraseFile(data)).doesNotExist();
  }

  @Test
  void anEmptyPassphraseFileIsRefused() throws Exception {
    Path file = data.resolve("empty");
    Files.writeString(file, "\n");

    assertThatThrownBy(
            () -> LogKeys.passphrase(data, Optional.of(file), Optional.empty(), true, false))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("is empty");
  }

  private void writeLegacyKeyFile(NoteSigner signer, char[] passphrase) {
    EncryptedKeyFiles.write(
        LogKeys.keyFile(data),
        signer.exportPrivateKey().getBytes(StandardCharsets.US_ASCII),
        Map.of("purpose", "sluice.log-key/v1", "origin", ORIGIN, "vkey", signer.verifier().vkey()),
        passphrase,
        EncryptedKeyFiles.MIN_ITERATIONS,
        false);
  }
}
