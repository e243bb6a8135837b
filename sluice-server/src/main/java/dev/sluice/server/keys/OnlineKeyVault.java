package dev.sluice.server.keys;

import dev.sluice.core.key.KeyName;
import dev.sluice.core.key.SealedKey;
import dev.sluice.core.key.SealedKeys;
import dev.sluice.trust.key.EncryptedKeyFiles;
import dev.sluice.trust.key.KeyDecryptionException;
import dev.sluice.trust.key.KeyFileException;
import dev.sluice.trust.key.KeyFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The online keys of every instance, kept in the database sealed under the instances' passphrase
 * (the authenticated encryption of {@link EncryptedKeyFiles}: a key that opens was sealed whole by
 * someone who knew the passphrase, with its attributes). A key is taken, in order, from the
 * database; else from its file in {@code DATA/keys/} (a data directory from before keys moved into
 * the database), which is checked and then imported once; else it is generated. Whatever an
 * instance offers, the database keeps the first key stored under a name and every instance uses
 * that one, so instances starting together on an empty database agree on one key.
 *
 * <p>How a key is generated and what makes it valid (its purpose, its attributes, a well-formed
 * secret) is the caller's {@link KeyKind}; a key that fails its checks is never stored nor used.
 */
public final class OnlineKeyVault implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OnlineKeyVault.class);

  private final SealedKeys keys;
  private final Path keyDir;

  /**
   * Seals and opens under the passphrase, deriving its key once per salt: the keys this vault seals
   * share one salt, so a start-up that opens them all pays one PBKDF2 derivation, not one each.
   */
  private final EncryptedKeyFiles.Sealer sealer;

  private final Clock clock;

  /**
   * @param keyDir {@code DATA/keys}, where key files of older data directories are looked for
   * @param passphrase copied; the caller may clear its array
   */
  public OnlineKeyVault(SealedKeys keys, Path keyDir, char[] passphrase, Clock clock) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.keyDir = Objects.requireNonNull(keyDir, "keyDir");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sealer = new EncryptedKeyFiles.Sealer(passphrase);
  }

  /**
   * A freshly generated key: the key, its secret (erased once sealed) and the attributes sealed
   * with it. Not a record: it holds a secret.
   */
  public static final class Generated<K> {
    private final K key;
    private final byte[] secret;
    private final Map<String, String> attributes;

    /**
     * @param secret taken over (not copied): the vault erases it once sealed
     */
    public Generated(K key, byte[] secret, Map<String, String> attributes) {
      this.key = Objects.requireNonNull(key, "key");
      this.secret = Objects.requireNonNull(secret, "secret");
      this.attributes = Map.copyOf(attributes);
    }

    K key() {
      return key;
    }

    @Override
    public String toString() {
      return "Generated" + attributes;
    }
  }

  /**
   * What a kind of key is: its purpose, how one is generated, and how an opened secret becomes a
   * key (checking its attributes and refusing malformed or weak keys with {@link
   * OnlineKeyException}).
   */
  public interface KeyKind<K> {
    String purpose();

    Generated<K> generate();

    /**
     * @param where names the key's origin for messages (the database row or the file)
     */
    K open(String where, Map<String, String> attributes, byte[] secret);
  }

  /** The key of that name: from the database, else imported from its file, else generated. */
  public <K> K key(KeyName name, KeyKind<K> kind) {
    Optional<SealedKey> stored = keys.find(name);
    if (stored.isPresent()) {
      warnIfFileDiffers(name, stored.get());
      return open(stored.get(), kind);
    }
    Path file = file(name);
    if (Files.exists(file)) {
      return importFile(name, file, kind);
    }
    Generated<K> generated = kind.generate();
    byte[] sealed;
    try {
      sealed = sealer.seal(where(name), generated.secret, withPurpose(kind, generated.attributes));
    } finally {
      Arrays.fill(generated.secret, (byte) 0);
    }
    SealedKeys.Stored result =
        keys.storeIfAbsent(sealedKey(name, kind, sealed), SealedKeys.Origin.CREATED);
    if (result.ours()) {
      LOG.info("created the online key '{}' ({}) in the database", name, kind.purpose());
      return generated.key();
    }
    // Another instance stored its key first: use that one, like every other instance.
    LOG.info("using the online key '{}' another instance stored a moment ago", name);
    return open(result.key(), kind);
  }

  /** {@code DATA/keys/<name>.key}. */
  public Path file(KeyName name) {
    return keyDir.resolve(name.value() + ".key");
  }

  private <K> K importFile(KeyName name, Path file, KeyKind<K> kind) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new OnlineKeyException("cannot read " + file + ": " + e.getMessage(), e);
    }
    // Opened and checked like any key before it is stored: a file that does not open with this
    // passphrase, or holds another kind of key, never reaches the database.
    K key = open(file.toString(), content, kind);
    SealedKeys.Stored result =
        keys.storeIfAbsent(sealedKey(name, kind, content), SealedKeys.Origin.IMPORTED);
    if (result.ours()) {
      LOG.warn(
          "imported the online key '{}' from {} into the database, which holds it from now on;"
              + " keep the file with your backups or remove it",
          name,
          file);
      return key;
    }
    return open(result.key(), kind);
  }

  private <K> K open(SealedKey sealed, KeyKind<K> kind) {
    if (!sealed.purpose().equals(kind.purpose())) {
      throw new OnlineKeyException(
          where(sealed.name())
              + " is a "
              + sealed.purpose()
              + " key, not a "
              + kind.purpose()
              + " key: the database was altered; restore it from a backup");
    }
    return open(where(sealed.name()), sealed.sealed().getBytes(StandardCharsets.UTF_8), kind);
  }

  private <K> K open(String where, byte[] sealed, KeyKind<K> kind) {
    try (EncryptedKeyFiles.Decrypted opened = sealer.open(where, sealed)) {
      Map<String, String> attributes = opened.attributes();
      if (!kind.purpose().equals(attributes.get("purpose"))) {
        throw new OnlineKeyException(where + " is not a " + kind.purpose() + " key");
      }
      byte[] secret = opened.secret(dev.sluice.trust.key.SecretAccess.I_WILL_PROTECT_THIS);
      try {
        return kind.open(where, attributes, secret);
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    } catch (KeyDecryptionException e) {
      throw new OnlineKeyException(
          "cannot open "
              + where
              + ": the passphrase is wrong or the key was altered. Start every instance with the"
              + " passphrase the keys were created with (SLUICE_KEY_PASSPHRASE or"
              + " --key-passphrase-file; a single server that generated one keeps it in"
              + " DATA/keys/passphrase)",
          e);
    } catch (KeyFormatException | KeyFileException e) {
      throw new OnlineKeyException(where + " is not a usable key: " + e.getMessage(), e);
    }
  }

  private void warnIfFileDiffers(KeyName name, SealedKey stored) {
    Path file = file(name);
    if (!Files.exists(file)) {
      return;
    }
    try {
      if (!Arrays.equals(
          Files.readAllBytes(file), stored.sealed().getBytes(StandardCharsets.UTF_8))) {
        LOG.warn(
            "{} is not the online key '{}' the database holds; the database's key is used and the"
                + " file is ignored: remove it",
            file,
            name);
      }
    } catch (java.io.IOException e) {
      LOG.warn("cannot read {} ({}); the database's key '{}' is used", file, e.getMessage(), name);
    }
  }

  private SealedKey sealedKey(KeyName name, KeyKind<?> kind, byte[] sealed) {
    try {
      return new SealedKey(
          name, kind.purpose(), new String(sealed, StandardCharsets.UTF_8), clock.instant());
    } catch (IllegalArgumentException e) {
      throw new OnlineKeyException(
          "the online key '" + name + "' cannot be stored: " + e.getMessage(), e);
    }
  }

  private static Map<String, String> withPurpose(KeyKind<?> kind, Map<String, String> attributes) {
    Map<String, String> all = new java.util.TreeMap<>(attributes);
    all.put("purpose", kind.purpose());
    return all;
  }

  private static String where(KeyName name) {
    return "the online key '" + name + "' in the database";
  }

  /** Erases the passphrase. */
  @Override
  public void close() {
    sealer.close();
  }

  /** How many PBKDF2 derivations the vault made so far (one per distinct salt it met). */
  public int derivations() {
    return sealer.derivations();
  }

  /** Helper for kinds: a required attribute. */
  public static String attribute(String where, Map<String, String> attributes, String name) {
    String value = attributes.get(name);
    if (value == null) {
      throw new OnlineKeyException(where + " lacks its '" + name + "' attribute");
    }
    return value;
  }
}
