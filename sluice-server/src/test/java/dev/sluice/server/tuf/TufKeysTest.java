package dev.sluice.server.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.key.KeyName;
import dev.sluice.core.key.SealedKeys;
import dev.sluice.core.product.ProductName;
import dev.sluice.server.keys.OnlineKeyException;
import dev.sluice.server.keys.OnlineKeyVault;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.store.testing.TestDatabase;
import dev.sluice.store.testing.TestDatabases;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.EncryptedKeyFiles;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SecretAccess;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.tuf.model.RoleType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TUF online keys in the database, and the key files of older data directories imported. */
class TufKeysTest {
  private static final char[] PASSPHRASE = "tuf keys test passphrase".toCharArray();

  @TempDir Path keyDir;
  private final TestDatabase db = TestDatabases.freshSqlite();
  private final SealedKeys sealed = new SealedKeys(new JdbiTransactions(db.database()));

  @AfterEach
  void close() {
    db.close();
  }

  private TufKeys keys() {
    return new TufKeys(new OnlineKeyVault(sealed, keyDir, PASSPHRASE, Clock.systemUTC()));
  }

  @Test
  void aKeyIsCreatedOnFirstUseAndEveryInstanceGetsTheSameOne() {
    SigningKey targets = keys().role(RoleType.TARGETS);
    SigningKey product = keys().product(new ProductName("acme-phone"));

    assertThat(keys().role(RoleType.TARGETS).keyId()).isEqualTo(targets.keyId());
    assertThat(keys().product(new ProductName("acme-phone")).keyId()).isEqualTo(product.keyId());
    assertThat(sealed.find(new KeyName("tuf-product-acme-phone"))).isPresent();
    assertThatThrownBy(() -> keys().role(RoleType.ROOT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theKeysOfOneDatabaseCostOneKeyDerivationToCreateAndOneToOpen() {
    OnlineKeyVault first = new OnlineKeyVault(sealed, keyDir, PASSPHRASE, Clock.systemUTC());
    TufKeys created = new TufKeys(first);
    created.openRoleKeys();
    created.product(new ProductName("acme-phone"));
    assertThat(first.derivations()).isEqualTo(1);

    OnlineKeyVault restarted = new OnlineKeyVault(sealed, keyDir, PASSPHRASE, Clock.systemUTC());
    TufKeys opened = new TufKeys(restarted);
    opened.openRoleKeys();
    assertThat(opened.product(new ProductName("acme-phone")).keyId())
        .isEqualTo(created.product(new ProductName("acme-phone")).keyId());
    assertThat(restarted.derivations()).isEqualTo(1);
  }

  @Test
  void keyFilesOfAnOlderDataDirectoryAreImportedOnStart() {
    SigningKey timestamp = writeKeyFile("tuf-timestamp", "timestamp");
    SigningKey product = writeKeyFile("tuf-product-acme-phone", "product:acme-phone");

    assertThat(keys().importKeyFiles(keyDir)).isEqualTo(2);

    assertThat(sealed.find(new KeyName("tuf-timestamp"))).isPresent();
    assertThat(keys().role(RoleType.TIMESTAMP).keyId()).isEqualTo(timestamp.keyId());
    assertThat(keys().product(new ProductName("acme-phone")).keyId()).isEqualTo(product.keyId());
  }

  @Test
  void aKeyFileBoundToAnotherRoleIsNotImported() {
    writeKeyFile("tuf-snapshot", "timestamp");

    assertThatThrownBy(() -> keys().importKeyFiles(keyDir))
        .isInstanceOf(OnlineKeyException.class)
        .hasMessageContaining("tuf-snapshot.key")
        .hasMessageContaining("is not the Sluice TUF snapshot key");
    assertThat(sealed.find(new KeyName("tuf-snapshot"))).isEmpty();
  }

  @Test
  void aKeyFileOfNoOnlineRoleIsRefusedClearly() {
    writeKeyFile("tuf-root", "root");

    assertThatThrownBy(() -> keys().importKeyFiles(keyDir))
        .isInstanceOf(OnlineKeyException.class)
        .hasMessageContaining("no online role 'root'");
  }

  @Test
  void aSecretThatDoesNotMatchItsPublicKeyIsNotImported() {
    SigningKey real = SigningKey.generate(KeyScheme.ED25519);
    SigningKey other = SigningKey.generate(KeyScheme.ED25519);
    write("tuf-targets", "targets", real, other.exportPkcs8(SecretAccess.I_WILL_PROTECT_THIS));

    assertThatThrownBy(() -> keys().importKeyFiles(keyDir))
        .isInstanceOf(OnlineKeyException.class)
        .hasMessageContaining("does not hold a valid TUF targets key");
    assertThat(sealed.find(new KeyName("tuf-targets"))).isEmpty();
  }

  private SigningKey writeKeyFile(String name, String role) {
    SigningKey key = SigningKey.generate(KeyScheme.ED25519);
    write(name, role, key, key.exportPkcs8(SecretAccess.I_WILL_PROTECT_THIS));
    return key;
  }

  /** A key file as data directories held them before the keys moved into the database. */
  private void write(String name, String role, SigningKey key, byte[] secret) {
    EncryptedKeyFiles.write(
        keyDir.resolve(name + ".key"),
        secret,
        Map.of(
            "purpose",
            TufKeys.PURPOSE,
            "role",
            role,
            "key",
            new String(
                CanonicalJson.encode(key.verificationKey().toTufJson()), StandardCharsets.UTF_8)),
        PASSPHRASE,
        EncryptedKeyFiles.MIN_ITERATIONS,
        false);
  }
}
