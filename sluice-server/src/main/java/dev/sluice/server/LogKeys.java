package dev.sluice.server;

import dev.sluice.core.key.KeyName;
import dev.sluice.core.key.SealedKey;
import dev.sluice.core.key.SealedKeys;
import dev.sluice.server.keys.OnlineKeyException;
import dev.sluice.server.keys.OnlineKeyVault;
import dev.sluice.store.db.Database;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.trust.key.EncryptedKeyFiles;
import dev.sluice.trust.key.KeyFormatException;
import dev.sluice.trust.tlog.MalformedNoteException;
import dev.sluice.trust.tlog.NoteSigner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log signing key: an Ed25519 note key (C2SP signed-note) named {@code log} among the online
 * keys the database keeps sealed ({@link OnlineKeyVault}), created on the first start (or imported
 * from {@code DATA/keys/log.key}, where data directories kept it before). Its sealed attributes
 * record the origin and the verifier key, authenticated with the secret, so a restart with another
 * origin is refused instead of silently starting a second log.
 *
 * <p>The passphrase comes from {@code --key-passphrase-file}, else {@code SLUICE_KEY_PASSPHRASE},
 * else {@code DATA/keys/passphrase} (generated on first start, mode 0600, with a warning: a
 * passphrase next to the database protects only against copies of the database alone). On a shared
 * database (PostgreSQL) none is generated: every instance must be given the same one.
 */
public final class LogKeys {
  public static final String PASSPHRASE_ENV = dev.sluice.server.KeyPassphrase.ENV;
  static final String PURPOSE = "sluice.log-key/v1";

  /** The log key's name among the online keys. */
  public static final KeyName NAME = new KeyName("log");

  private static final Logger LOG = LoggerFactory.getLogger(LogKeys.class);

  private LogKeys() {}

  /** {@code DATA/keys/log.key}, where data directories kept the log key before the database did. */
  public static Path keyFile(Path dataDir) {
    return dataDir.resolve("keys").resolve("log.key");
  }

  /** {@code DATA/keys/passphrase}, used only when no passphrase is supplied. */
  public static Path generatedPassphraseFile(Path dataDir) {
    return dataDir.resolve("keys").resolve("passphrase");
  }

  /**
   * The log key of the log named {@code origin}, from the database, else imported from {@code
   * DATA/keys/log.key}, else created.
   *
   * @throws StartupException if the key cannot be opened (wrong passphrase, altered) or belongs to
   *     another origin
   */
  public static NoteSigner load(OnlineKeyVault vault, String origin) {
    try {
      return vault.key(NAME, new Kind(origin));
    } catch (OnlineKeyException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  /**
   * The log key of the log named {@code origin}, opened as {@link #load} does by the first caller
   * of {@link Opening#await}: the server's start asks for it after the port is bound, so that the
   * key derivation from the passphrase (PBKDF2, about half a second of a core) neither delays the
   * port nor competes with the start for the cores before it.
   */
  public static Opening openWhenAsked(OnlineKeyVault vault, String origin) {
    return new Opening(new FutureTask<>(() -> load(vault, origin)));
  }

  /** The log key, opened once by the first caller of {@link #await}. */
  public static final class Opening {
    private final FutureTask<NoteSigner> task;

    private Opening(FutureTask<NoteSigner> task) {
      this.task = task;
    }

    /**
     * Opens the key on the calling thread, or waits for the caller that is opening it.
     *
     * @throws StartupException as {@link #load} does: wrong passphrase, altered key, other origin
     */
    public NoteSigner await() {
      task.run(); // only the first call runs it; the others return at once and wait below
      try {
        return task.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        if (e.getCause() instanceof Error cause) {
          throw cause;
        }
        throw new StartupException("opening the log key failed: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartupException("interrupted while the log key was being opened", e);
      }
    }
  }

  /**
   * The verifier key of a data directory's log, read without the passphrase (for {@code sluice log
   * key}; auditors must get the key from the operator out of band): from the embedded database
   * {@code DATA/sluice.db}, else from {@code DATA/keys/log.key}.
   */
  public static String verifierKey(Path dataDir) {
    Path db = dataDir.resolve("sluice.db");
    if (Files.exists(db)) {
      Optional<SealedKey> stored;
      try (Database database = Database.open("jdbc:sqlite:" + db.toAbsolutePath())) {
        stored = new SealedKeys(new JdbiTransactions(database)).find(NAME);
      }
      if (stored.isPresent()) {
        return vkey("the log key in " + db, stored.get().sealed().getBytes(StandardCharsets.UTF_8));
      }
    }
    Path file = keyFile(dataDir);
    try {
      return vkey(file.toString(), Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new StartupException(
          dataDir + " holds no log key (neither in sluice.db nor in keys/log.key)", e);
    } catch (IOException e) {
      throw new StartupException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String vkey(String where, byte[] sealed) {
    try {
      String vkey = EncryptedKeyFiles.attributes(where, sealed).get("vkey");
      if (vkey == null) {
        throw new StartupException(where + " is not a Sluice log key");
      }
      return vkey;
    } catch (KeyFormatException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  /** The log key: generated for an origin, and refused when it belongs to another one. */
  private record Kind(String origin) implements OnlineKeyVault.KeyKind<NoteSigner> {
    @Override
    public String purpose() {
      return PURPOSE;
    }

    @Override
    public OnlineKeyVault.Generated<NoteSigner> generate() {
      NoteSigner signer = NoteSigner.generate(origin);
      LOG.info("generated the transparency log key {}", signer.verifier().vkey());
      return new OnlineKeyVault.Generated<>(
          signer,
          signer.exportPrivateKey().getBytes(StandardCharsets.US_ASCII),
          Map.of("origin", origin, "vkey", signer.verifier().vkey()));
    }

    @Override
    public NoteSigner open(String where, Map<String, String> attributes, byte[] secret) {
      String keyOrigin = OnlineKeyVault.attribute(where, attributes, "origin");
      if (!origin.equals(keyOrigin)) {
        throw new OnlineKeyException(
            "the log key ("
                + where
                + ") belongs to the log '"
                + keyOrigin
                + "', not '"
                + origin
                + "': start with --log-origin "
                + keyOrigin
                + " (a log's origin never changes; a new origin needs a new database)");
      }
      NoteSigner signer;
      try {
        signer = NoteSigner.parse(new String(secret, StandardCharsets.US_ASCII));
      } catch (MalformedNoteException e) {
        throw new OnlineKeyException(where + " does not hold a valid log key", e);
      }
      if (!signer.name().equals(origin)
          || !signer.verifier().vkey().equals(attributes.get("vkey"))) {
        throw new OnlineKeyException(where + ": the key does not match its recorded vkey");
      }
      return signer;
    }
  }

  /**
   * The passphrase that protects the server's keys: {@code --key-passphrase-file}, else {@code
   * SLUICE_KEY_PASSPHRASE}, else {@code DATA/keys/passphrase} (created on the first start, unless
   * the database is shared).
   *
   * @param firstStart no key exists yet (in the database nor in a key file)
   * @param sharedDatabase the database is shared by instances (PostgreSQL): a passphrase generated
   *     here would differ from the others', so none is
   */
  public static char[] passphrase(
      Path dataDir,
      Optional<Path> passphraseFile,
      Optional<String> passphraseEnv,
      boolean firstStart,
      boolean sharedDatabase) {
    if (passphraseFile.isPresent()) {
      return readPassphrase(passphraseFile.get(), "--key-passphrase-file");
    }
    Optional<String> env = passphraseEnv.filter(p -> !p.isEmpty());
    if (env.isPresent()) {
      return env.get().toCharArray();
    }
    Path generated = generatedPassphraseFile(dataDir);
    if (Files.exists(generated)) {
      warnGenerated(generated);
      return readPassphrase(generated, generated.toString());
    }
    if (sharedDatabase) {
      throw new StartupException(
          "no key passphrase: every instance on a shared (PostgreSQL) database must be given the"
              + " same passphrase for the online keys, in "
              + PASSPHRASE_ENV
              + " or with --key-passphrase-file (one generated here would not open the keys of"
              + " the other instances)");
    }
    if (!firstStart) {
      throw new StartupException(
          "the online keys are encrypted: supply their passphrase in "
              + PASSPHRASE_ENV
              + " or with --key-passphrase-file");
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String passphrase = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Arrays.fill(random, (byte) 0);
    writeSecret(generated, passphrase + "\n");
    warnGenerated(generated);
    return passphrase.toCharArray();
  }

  private static void warnGenerated(Path file) {
    LOG.warn(
        "the online keys' passphrase is kept in the data directory, {}; production deployments"
            + " should supply one with {} or --key-passphrase-file",
        file,
        PASSPHRASE_ENV);
  }

  private static char[] readPassphrase(Path file, String what) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new StartupException(what + ": no such file: " + file, e);
    } catch (IOException e) {
      throw new StartupException(what + ": cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      int end = chars.limit();
      // One trailing line break (as editors and echo write it) is not part of the passphrase.
      if (end > 0 && chars.get(end - 1) == '\n') {
        end--;
        if (end > 0 && chars.get(end - 1) == '\r') {
          end--;
        }
      }
      if (end == 0) {
        throw new StartupException(what + ": " + file + " is empty");
      }
      char[] passphrase = new char[end];
      chars.get(0, passphrase);
      Arrays.fill(chars.array(), '\0');
      return passphrase;
    } catch (CharacterCodingException e) {
      throw new StartupException(what + ": " + file + " is not UTF-8 text", e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static void writeSecret(Path target, String content) {
    try {
      Files.createDirectories(target.getParent());
      Path temp =
          Files.createTempFile(
              target.getParent(),
              ".passphrase",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(temp, content, StandardCharsets.UTF_8, StandardOpenOption.SYNC);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (FileAlreadyExistsException e) {
      throw new StartupException(target + " appeared while it was being created", e);
    } catch (IOException e) {
      throw new StartupException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
