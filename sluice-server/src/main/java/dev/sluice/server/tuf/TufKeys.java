package dev.sluice.server.tuf;

import dev.sluice.core.product.ProductName;
import dev.sluice.core.tuf.OnlineKeys;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.EncryptedKeyFiles;
import dev.sluice.trust.key.KeyFileException;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SecretAccess;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.model.RoleType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TUF online keys of a data directory, Ed25519, one file each under {@code DATA/keys/}: {@code
 * tuf-targets.key}, {@code tuf-snapshot.key}, {@code tuf-timestamp.key} and {@code
 * tuf-product-<name>.key}, encrypted at rest with {@link EncryptedKeyFiles} under the same
 * passphrase as the log key. A key is created the first time it is needed and kept in memory
 * afterwards; the file's authenticated attributes bind it to its role. A key that cannot be created
 * or opened (wrong passphrase, altered file) fails the request that needed it.
 */
public final class TufKeys implements OnlineKeys {
  static final String PURPOSE = "sluice.tuf-key/v1";
  private static final Logger LOG = LoggerFactory.getLogger(TufKeys.class);

  private final Path keyDir;
  private final char[] passphrase;
  private final Map<String, SigningKey> cache = new HashMap<>();

  /**
   * @param passphrase copied; the caller may clear its array
   */
  public TufKeys(Path dataDir, char[] passphrase) {
    this.keyDir = dataDir.resolve("keys");
    this.passphrase = passphrase.clone();
  }

  @Override
  public SigningKey role(RoleType type) {
    if (type == RoleType.ROOT) {
      throw new IllegalArgumentException("the root keys are offline");
    }
    return key(type.typeName(), "tuf-" + type.typeName() + ".key");
  }

  @Override
  public SigningKey product(ProductName product) {
    Objects.requireNonNull(product, "product");
    return key("product:" + product.value(), "tuf-product-" + product.value() + ".key");
  }

  private synchronized SigningKey key(String role, String fileName) {
    SigningKey cached = cache.get(role);
    if (cached != null) {
      return cached;
    }
    Path file = keyDir.resolve(fileName);
    SigningKey key = Files.exists(file) ? open(file, role) : create(file, role);
    cache.put(role, key);
    return key;
  }

  private SigningKey create(Path file, String role) {
    SigningKey key = SigningKey.generate(KeyScheme.ED25519);
    byte[] secret = key.exportPkcs8(SecretAccess.I_WILL_PROTECT_THIS);
    try {
      Files.createDirectories(keyDir);
      EncryptedKeyFiles.write(
          file,
          secret,
          Map.of(
              "purpose",
              PURPOSE,
              "role",
              role,
              "key",
              new String(
                  CanonicalJson.encode(key.verificationKey().toTufJson()), StandardCharsets.UTF_8)),
          passphrase,
          false);
    } catch (java.io.IOException | KeyFileException e) {
      throw new IllegalStateException(
          "cannot create the TUF key " + file + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    LOG.info("created the TUF {} key {} in {}", role, key.keyId(), file);
    return key;
  }

  private SigningKey open(Path file, String role) {
    try (EncryptedKeyFiles.Decrypted opened = EncryptedKeyFiles.read(file, passphrase)) {
      Map<String, String> attributes = opened.attributes();
      if (!PURPOSE.equals(attributes.get("purpose")) || !role.equals(attributes.get("role"))) {
        throw new IllegalStateException(file + " is not the Sluice TUF " + role + " key");
      }
      VerificationKey publicKey =
          VerificationKey.fromTufJson(
              CanonicalJson.parse(attributes.get("key").getBytes(StandardCharsets.UTF_8)));
      byte[] secret = opened.secret(SecretAccess.I_WILL_PROTECT_THIS);
      try {
        return SigningKey.fromPkcs8(publicKey, secret);
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    } catch (KeyFileException e) {
      throw new IllegalStateException("cannot open the TUF key " + file + ": " + e.getMessage(), e);
    }
  }
}
