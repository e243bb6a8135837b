package dev.sluice.server;

import dev.sluice.trust.key.EncryptedKeyFiles;
import dev.sluice.trust.key.KeyFileException;
import dev.sluice.trust.key.SecretAccess;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log signing key of a data directory: {@code DATA/keys/log.key}, an Ed25519 note key (C2SP
 * signed-note) encrypted at rest with {@link EncryptedKeyFiles}, created on the first start. Its
 * attributes record the origin and the verifier key, authenticated with the secret, so a restart
 * with another origin is refused instead of silently starting a second log.
 *
 * <p>The passphrase comes from {@code --key-passphrase-file}, else {@code SLUICE_KEY_PASSPHRASE},
 * else {@code DATA/keys/passphrase} (generated on first start, mode 0600, with a warning: a
 * passphrase next to the key protects only against copies of the key file alone).
 */
public final class LogKeys {
  public static final String PASSPHRASE_ENV = dev.sluice.server.KeyPassphrase.ENV;
  static final String PURPOSE = "sluice.log-key/v1";
  private static final Logger LOG = LoggerFactory.getLogger(LogKeys.class);

  private LogKeys() {}

  /** {@code DATA/keys/log.key}. */
  public static Path keyFile(Path dataDir) {
    return dataDir.resolve("keys").resolve("log.key");
  }

  /** {@code DATA/keys/passphrase}, used only when no passphrase is supplied. */
  public static Path generatedPassphraseFile(Path dataDir) {
    return dataDir.resolve("keys").resolve("passphrase");
  }

  /**
   * Opens the data directory's log key, creating key (and, if needed, passphrase) on first start.
   *
   * @param passphraseFile {@code --key-passphrase-file}, if given
   * @param passphraseEnv the value of {@code SLUICE_KEY_PASSPHRASE}, if set
   * @throws StartupException if the key cannot be opened or belongs to another origin
   */
  public static NoteSigner loadOrCreate(
      Path dataDir, String origin, Optional<Path> passphraseFile, Optional<String> passphraseEnv) {
    Path keyFile = keyFile(dataDir);
    boolean exists = Files.exists(keyFile);
    char[] passphrase = passphrase(dataDir, passphraseFile, passphraseEnv, !exists);
    try {
      return exists ? open(keyFile, origin, passphrase) : create(keyFile, origin, passphrase);
    } finally {
      Arrays.fill(passphrase, '\0');
    }
  }

  /**
   * The verifier key recorded in a data directory's log key file, read without the passphrase (for
   * {@code sluice log key}; auditors must get the key from the operator out of band).
   */
  public static String verifierKey(Path dataDir) {
    try {
      String vkey = EncryptedKeyFiles.readAttributes(keyFile(dataDir)).get("vkey");
      if (vkey == null) {
        throw new StartupException(keyFile(dataDir) + " is not a Sluice log key");
      }
      return vkey;
    } catch (KeyFileException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  private static NoteSigner create(Path keyFile, String origin, char[] passphrase) {
    NoteSigner signer = NoteSigner.generate(origin);
    byte[] secret = signer.exportPrivateKey().getBytes(StandardCharsets.US_ASCII);
    try {
      EncryptedKeyFiles.write(
          keyFile,
          secret,
          Map.of("purpose", PURPOSE, "origin", origin, "vkey", signer.verifier().vkey()),
          passphrase,
          false);
    } catch (KeyFileException e) {
      throw new StartupException("cannot create the log key: " + e.getMessage(), e);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    LOG.info("created the transparency log key {} in {}", signer.verifier().vkey(), keyFile);
    return signer;
  }

  private static NoteSigner open(Path keyFile, String origin, char[] passphrase) {
    try (EncryptedKeyFiles.Decrypted opened = EncryptedKeyFiles.read(keyFile, passphrase)) {
      Map<String, String> attributes = opened.attributes();
      if (!PURPOSE.equals(attributes.get("purpose"))) {
        throw new StartupException(keyFile + " is not a Sluice log key");
      }
      if (!origin.equals(attributes.get("origin"))) {
        throw new StartupException(
            "the log key in "
                + keyFile
                + " belongs to the log '"
                + attributes.get("origin")
                + "', not '"
                + origin
                + "': start with --log-origin "
                + attributes.get("origin")
                + " (a log's origin never changes; a new origin needs a new data directory)");
      }
      byte[] secret = opened.secret(SecretAccess.I_WILL_PROTECT_THIS);
      try {
        NoteSigner signer = NoteSigner.parse(new String(secret, StandardCharsets.US_ASCII));
        if (!signer.verifier().vkey().equals(attributes.get("vkey"))) {
          throw new StartupException(keyFile + ": the key does not match its recorded vkey");
        }
        return signer;
      } catch (MalformedNoteException e) {
        throw new StartupException(keyFile + " does not hold a valid log key", e);
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    } catch (KeyFileException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  /**
   * The passphrase that protects the server's keys: {@code --key-passphrase-file}, else {@code
   * SLUICE_KEY_PASSPHRASE}, else {@code DATA/keys/passphrase} (created on the first start).
   */
  public static char[] passphrase(
      Path dataDir,
      Optional<Path> passphraseFile,
      Optional<String> passphraseEnv,
      boolean firstStart) {
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
    if (!firstStart) {
      throw new StartupException(
          keyFile(dataDir)
              + " is encrypted: supply its passphrase in "
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
        "the log key's passphrase is kept next to it in {}; production deployments should supply"
            + " one with {} or --key-passphrase-file",
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
