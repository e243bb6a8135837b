package dev.sluice.server.tuf;

import dev.sluice.core.key.KeyName;
import dev.sluice.core.product.ProductName;
import dev.sluice.core.tuf.OnlineKeys;
import dev.sluice.server.keys.OnlineKeyException;
import dev.sluice.server.keys.OnlineKeyVault;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SecretAccess;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.model.RoleType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TUF online keys, Ed25519, among the online keys the database keeps sealed ({@link
 * OnlineKeyVault}): {@code tuf-targets}, {@code tuf-snapshot}, {@code tuf-timestamp} and {@code
 * tuf-product-<name>}, under the same passphrase as the log key. A key is created the first time it
 * is needed and kept in memory afterwards; its sealed attributes bind it to its role. Key files of
 * an older data directory ({@code DATA/keys/tuf-*.key}) are imported on start ({@link
 * #importKeyFiles}). A key that cannot be created or opened (wrong passphrase, altered row) fails
 * the request that needed it.
 */
public final class TufKeys implements OnlineKeys {
  static final String PURPOSE = "sluice.tuf-key/v1";
  private static final String PRODUCT_PREFIX = "tuf-product-";
  private static final Logger LOG = LoggerFactory.getLogger(TufKeys.class);

  private final OnlineKeyVault vault;
  private final Map<String, SigningKey> cache = new HashMap<>();

  public TufKeys(OnlineKeyVault vault) {
    this.vault = Objects.requireNonNull(vault, "vault");
  }

  @Override
  public SigningKey role(RoleType type) {
    if (type == RoleType.ROOT) {
      throw new IllegalArgumentException("the root keys are offline");
    }
    return key(type.typeName(), new KeyName("tuf-" + type.typeName()));
  }

  @Override
  public SigningKey product(ProductName product) {
    Objects.requireNonNull(product, "product");
    return key("product:" + product.value(), new KeyName(PRODUCT_PREFIX + product.value()));
  }

  /**
   * Imports the TUF key files of {@code keyDir} that the database does not hold yet (a data
   * directory from before the keys moved into the database), so that no instance creates a
   * different key for a role while another still has the old one in a file; returns how many key
   * files were looked at.
   *
   * @throws OnlineKeyException if one cannot be opened or is not the key its name says
   */
  public int importKeyFiles(Path keyDir) {
    int seen = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(keyDir, "tuf-*.key")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        name = name.substring(0, name.length() - ".key".length());
        if (name.startsWith(PRODUCT_PREFIX)) {
          ProductName product = new ProductName(name.substring(PRODUCT_PREFIX.length()));
          open("product:" + product.value(), new KeyName(name));
        } else {
          String role = name.substring("tuf-".length());
          RoleType type =
              RoleType.fromName(role)
                  .filter(t -> t != RoleType.ROOT)
                  .orElseThrow(() -> new IllegalArgumentException("no online role '" + role + "'"));
          open(type.typeName(), new KeyName(name));
        }
        seen++;
      }
    } catch (java.nio.file.NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new OnlineKeyException("cannot list " + keyDir + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new OnlineKeyException(
          keyDir + " holds a TUF key file of no known role: " + e.getMessage(), e);
    }
    return seen;
  }

  /**
   * Opens (creating them on a new database) the online role keys every refresh and publication
   * signs with: targets, snapshot and timestamp. Product keys open when their product is first
   * signed for.
   *
   * @throws IllegalStateException if one cannot be opened
   */
  public void openRoleKeys() {
    for (RoleType type : List.of(RoleType.TARGETS, RoleType.SNAPSHOT, RoleType.TIMESTAMP)) {
      role(type);
    }
  }

  private SigningKey key(String role, KeyName name) {
    try {
      return open(role, name);
    } catch (OnlineKeyException e) {
      throw new IllegalStateException("cannot open the TUF " + role + " key: " + e.getMessage(), e);
    }
  }

  private synchronized SigningKey open(String role, KeyName name) {
    SigningKey cached = cache.get(role);
    if (cached != null) {
      return cached;
    }
    SigningKey key = vault.key(name, new Kind(role));
    cache.put(role, key);
    return key;
  }

  /** An Ed25519 key bound to one role by its sealed attributes. */
  private record Kind(String role) implements OnlineKeyVault.KeyKind<SigningKey> {
    @Override
    public String purpose() {
      return PURPOSE;
    }

    @Override
    public OnlineKeyVault.Generated<SigningKey> generate() {
      SigningKey key = SigningKey.generate(KeyScheme.ED25519);
      LOG.info("generated the TUF {} key {}", role, key.keyId());
      return new OnlineKeyVault.Generated<>(
          key,
          key.exportPkcs8(SecretAccess.I_WILL_PROTECT_THIS),
          Map.of(
              "role",
              role,
              "key",
              new String(
                  CanonicalJson.encode(key.verificationKey().toTufJson()),
                  StandardCharsets.UTF_8)));
    }

    @Override
    public SigningKey open(String where, Map<String, String> attributes, byte[] secret) {
      if (!role.equals(attributes.get("role"))) {
        throw new OnlineKeyException(where + " is not the Sluice TUF " + role + " key");
      }
      try {
        VerificationKey publicKey =
            VerificationKey.fromTufJson(
                CanonicalJson.parse(
                    OnlineKeyVault.attribute(where, attributes, "key")
                        .getBytes(StandardCharsets.UTF_8)));
        // Refuses a secret that does not match the public key or is not a valid Ed25519 key.
        return SigningKey.fromPkcs8(publicKey, secret);
      } catch (TrustException | IllegalArgumentException e) {
        throw new OnlineKeyException(
            where + " does not hold a valid TUF " + role + " key: " + e.getMessage(), e);
      }
    }
  }
}
