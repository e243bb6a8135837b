package dev.sluice.trust.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.json.MalformedJsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secrets encrypted at rest under a passphrase, with JDK algorithms only: PBKDF2-HMAC-SHA256
 * (random 16-byte salt, at least {@value #MIN_ITERATIONS} iterations) derives an AES-256 key, and
 * AES-GCM (random 12-byte nonce, 128-bit tag) encrypts the secret. The file is JSON:
 *
 * <pre>{@code
 * {"type": "sluice.encrypted-secret/v1",
 *  "attributes": {...public strings...},
 *  "kdf": {"name": "PBKDF2-HMAC-SHA256", "salt": b64, "iterations": n},
 *  "cipher": {"name": "AES-256-GCM", "nonce": b64},
 *  "ciphertext": b64(ciphertext || tag)}
 * }</pre>
 *
 * The canonical JSON of everything but {@code ciphertext} is the GCM associated data, so the
 * attributes and the KDF parameters are authenticated together with the secret: a file that opens
 * was written whole, by someone who knew the passphrase. Files are written with mode 0600,
 * atomically (see {@link KeyFiles}).
 */
public final class EncryptedKeyFiles {
  /**
   * The floor for PBKDF2-HMAC-SHA256 iterations (OWASP's minimum); files with fewer are refused.
   */
  public static final int MIN_ITERATIONS = 310_000;

  /** Iterations used for new files (OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256). */
  public static final int DEFAULT_ITERATIONS = 600_000;

  static final int MAX_ITERATIONS = 10_000_000;
  static final String TYPE = "sluice.encrypted-secret/v1";
  private static final String KDF = "PBKDF2-HMAC-SHA256";
  private static final String CIPHER = "AES-256-GCM";
  private static final int SALT_BYTES = 16;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final Set<String> FIELDS =
      Set.of("type", "attributes", "kdf", "cipher", "ciphertext");
  private static final SecureRandom RANDOM = new SecureRandom();

  private EncryptedKeyFiles() {}

  /**
   * Encrypts {@code secret} under {@code passphrase} into {@code path} (mode 0600).
   *
   * @param attributes public strings stored in clear but authenticated (e.g. a key's name)
   * @throws KeyFileExistsException if {@code path} exists and {@code overwrite} is false
   * @throws KeyFileException if the file cannot be written
   * @throws IllegalArgumentException if the passphrase is empty
   */
  public static void write(
      Path path,
      byte[] secret,
      Map<String, String> attributes,
      char[] passphrase,
      boolean overwrite) {
    write(path, secret, attributes, passphrase, DEFAULT_ITERATIONS, overwrite);
  }

  /** As {@link #write(Path, byte[], Map, char[], boolean)} with an explicit iteration count. */
  public static void write(
      Path path,
      byte[] secret,
      Map<String, String> attributes,
      char[] passphrase,
      int iterations,
      boolean overwrite) {
    byte[] content = seal(path.toString(), secret, attributes, passphrase, iterations);
    AtomicKeyFileWriter.write(
        path, content, PosixFilePermissions.fromString("rw-------"), overwrite);
  }

  /**
   * Encrypts {@code secret} under {@code passphrase} into the bytes of an encrypted key file (UTF-8
   * JSON, exactly what {@link #write} puts in a file), for keeping elsewhere than in a file (a
   * database row). {@link #open} reverses it.
   *
   * @param source names the secret in error messages (e.g. {@code "the database's key 'log'"})
   * @throws IllegalArgumentException if the passphrase is empty
   */
  public static byte[] seal(
      String source, byte[] secret, Map<String, String> attributes, char[] passphrase) {
    return seal(source, secret, attributes, passphrase, DEFAULT_ITERATIONS);
  }

  /** As {@link #seal(String, byte[], Map, char[])} with an explicit iteration count. */
  public static byte[] seal(
      String source,
      byte[] secret,
      Map<String, String> attributes,
      char[] passphrase,
      int iterations) {
    Objects.requireNonNull(secret, "secret");
    requireIterations(source, iterations);
    byte[] salt = random(SALT_BYTES);
    byte[] key = derive(passphrase, salt, iterations);
    try {
      return sealWith(secret, attributes, salt, iterations, key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Seals with a key already derived from the passphrase, {@code salt} and {@code iterations}. */
  private static byte[] sealWith(
      byte[] secret, Map<String, String> attributes, byte[] salt, int iterations, byte[] key) {
    Objects.requireNonNull(secret, "secret");
    byte[] nonce = random(NONCE_BYTES);
    ObjectNode header = CanonicalJson.mapper().createObjectNode();
    header.put("type", TYPE);
    ObjectNode attributeNode = header.putObject("attributes");
    new TreeMap<>(attributes).forEach(attributeNode::put);
    header.putObject("kdf").put("name", KDF).put("salt", b64(salt)).put("iterations", iterations);
    header.putObject("cipher").put("name", CIPHER).put("nonce", b64(nonce));
    byte[] ciphertext;
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce);
      cipher.updateAAD(CanonicalJson.encode(header));
      ciphertext = cipher.doFinal(secret);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java 21 platform provides PBKDF2 and AES-GCM", e);
    }
    ObjectNode file = header.deepCopy();
    file.put("ciphertext", b64(ciphertext));
    return (file.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Decrypts a file written by {@link #write}.
   *
   * @throws KeyFileNotFoundException if there is no such file
   * @throws KeyFormatException if it is not an encrypted key file of this format, or its iteration
   *     count is outside {@value #MIN_ITERATIONS} to 10,000,000
   * @throws KeyDecryptionException if the passphrase is wrong or the file was altered
   */
  public static Decrypted read(Path path, char[] passphrase) {
    try {
      return open(path.toString(), readBytes(path), passphrase);
    } catch (KeyDecryptionException e) {
      throw new KeyDecryptionException(path, e.getCause());
    }
  }

  /**
   * Decrypts the bytes of an encrypted key file (from {@link #seal} or a file's content).
   *
   * @param source names the secret in error messages
   * @throws KeyFormatException if they are not an encrypted key of this format, or their iteration
   *     count is outside {@value #MIN_ITERATIONS} to 10,000,000
   * @throws KeyDecryptionException if the passphrase is wrong or the bytes were altered
   */
  public static Decrypted open(String source, byte[] sealed, char[] passphrase) {
    return open(
        source,
        sealed,
        (salt, iterations) -> derive(passphrase, salt, iterations),
        key -> Arrays.fill(key, (byte) 0));
  }

  /** Where {@link #open} gets the key of a salt and iteration count, and what it does after. */
  private interface KeySource {
    byte[] key(byte[] salt, int iterations);
  }

  private static Decrypted open(
      String source, byte[] sealed, KeySource keys, java.util.function.Consumer<byte[]> afterUse) {
    JsonNode file = parse(source, sealed);
    Map<String, String> attributes = attributes(source, file);
    JsonNode kdf = object(source, file, "kdf");
    JsonNode cipherNode = object(source, file, "cipher");
    if (!KDF.equals(kdf.path("name").asText())
        || !CIPHER.equals(cipherNode.path("name").asText())) {
      throw new KeyFormatException(source + ": only " + KDF + " with " + CIPHER + " is supported");
    }
    if (!kdf.path("iterations").canConvertToInt()) {
      throw new KeyFormatException(source + ": kdf.iterations is not an integer");
    }
    int iterations = kdf.path("iterations").intValue();
    requireIterations(source, iterations);
    byte[] salt = bytes(source, kdf, "salt", SALT_BYTES);
    byte[] nonce = bytes(source, cipherNode, "nonce", NONCE_BYTES);
    byte[] ciphertext = bytes(source, file, "ciphertext", -1);
    ObjectNode header = ((ObjectNode) file).deepCopy();
    header.remove("ciphertext");
    byte[] key = keys.key(salt, iterations);
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce);
      cipher.updateAAD(CanonicalJson.encode(header));
      return new Decrypted(attributes, cipher.doFinal(ciphertext));
    } catch (AEADBadTagException e) {
      throw new KeyDecryptionException(source, e);
    } catch (GeneralSecurityException e) {
      throw new KeyFormatException(source + ": cannot decrypt: " + e.getMessage(), e);
    } finally {
      afterUse.accept(key);
    }
  }

  /**
   * Seals and opens many secrets under one passphrase, deriving each salt's key once. New secrets
   * are sealed under the salt of a key it has already derived (the first one opened, or a random
   * one), so the online keys of one database share one salt and a start-up derives one key instead
   * of one per secret (PBKDF2 at {@value #DEFAULT_ITERATIONS} iterations is about half a second of
   * CPU each). The format is unchanged: every sealed secret still names its salt and count, and
   * secrets sealed under other salts open too (their keys are derived once each). Reusing a salt
   * across secrets of one passphrase is safe here: AES-GCM's nonce is random per secret, and the
   * salt's job, making each installation's derivation its own, is done per database.
   *
   * <p>Holds the passphrase and derived keys: {@link #close()} erases them. Thread-safe; two
   * threads asking for the same salt's key at once derive it once.
   */
  public static final class Sealer implements AutoCloseable {
    private final char[] passphrase;
    private final java.util.concurrent.ConcurrentHashMap<String, byte[]> derived =
        new java.util.concurrent.ConcurrentHashMap<>();
    private volatile byte[] sealingSalt;

    /**
     * @param passphrase copied; the caller may clear its array
     * @throws IllegalArgumentException if it is empty
     */
    public Sealer(char[] passphrase) {
      if (passphrase == null || passphrase.length == 0) {
        throw new IllegalArgumentException("the passphrase must not be empty");
      }
      this.passphrase = passphrase.clone();
    }

    /** As {@link EncryptedKeyFiles#seal(String, byte[], Map, char[])}. */
    public byte[] seal(String source, byte[] secret, Map<String, String> attributes) {
      requireIterations(source, DEFAULT_ITERATIONS);
      byte[] salt = saltForSealing();
      return sealWith(secret, attributes, salt, DEFAULT_ITERATIONS, key(salt, DEFAULT_ITERATIONS));
    }

    /** As {@link EncryptedKeyFiles#open(String, byte[], char[])}. */
    public Decrypted open(String source, byte[] sealed) {
      return EncryptedKeyFiles.open(source, sealed, this::key, key -> {});
    }

    /** How many keys it derived (one per distinct salt and iteration count it met). */
    public int derivations() {
      return derived.size();
    }

    private synchronized byte[] saltForSealing() {
      if (sealingSalt == null) {
        sealingSalt = random(SALT_BYTES);
      }
      return sealingSalt.clone();
    }

    private byte[] key(byte[] salt, int iterations) {
      byte[] key =
          derived.computeIfAbsent(
              b64(salt) + "/" + iterations, k -> derive(passphrase, salt, iterations));
      if (iterations == DEFAULT_ITERATIONS) {
        synchronized (this) {
          if (sealingSalt == null) {
            sealingSalt = salt.clone();
          }
        }
      }
      return key;
    }

    @Override
    public void close() {
      derived.values().forEach(k -> Arrays.fill(k, (byte) 0));
      derived.clear();
      Arrays.fill(passphrase, '\0');
    }

    @Override
    public String toString() {
      return "Sealer[" + derived.size() + " derived]";
    }
  }

  /**
   * The attributes of an encrypted key file, read without the passphrase and therefore NOT
   * authenticated: fine for showing a public key to its operator, never for trusting it.
   *
   * @throws KeyFileNotFoundException if there is no such file
   * @throws KeyFormatException if it is not an encrypted key file
   */
  public static Map<String, String> readAttributes(Path path) {
    return attributes(path.toString(), parse(path.toString(), readBytes(path)));
  }

  /**
   * The attributes of sealed bytes, read without the passphrase and therefore NOT authenticated.
   *
   * @throws KeyFormatException if they are not an encrypted key
   */
  public static Map<String, String> attributes(String source, byte[] sealed) {
    return attributes(source, parse(source, sealed));
  }

  /** A decrypted secret with its attributes; {@link #close()} erases the secret. */
  public static final class Decrypted implements AutoCloseable {
    private final Map<String, String> attributes;
    private final byte[] secret;

    private Decrypted(Map<String, String> attributes, byte[] secret) {
      this.attributes = attributes;
      this.secret = secret;
    }

    /** The authenticated attributes. */
    public Map<String, String> attributes() {
      return attributes;
    }

    /** A copy of the secret, which the caller must protect and erase. */
    public byte[] secret(SecretAccess access) {
      Objects.requireNonNull(access, "access");
      return secret.clone();
    }

    @Override
    public void close() {
      Arrays.fill(secret, (byte) 0);
    }

    @Override
    public String toString() {
      return "Decrypted" + attributes;
    }
  }

  /** PBKDF2-HMAC-SHA256 of the passphrase: a 256-bit AES key the caller erases. */
  private static byte[] derive(char[] passphrase, byte[] salt, int iterations) {
    if (passphrase == null || passphrase.length == 0) {
      throw new IllegalArgumentException("the passphrase must not be empty");
    }
    PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java 21 platform provides PBKDF2", e);
    } finally {
      spec.clearPassword();
    }
  }

  private static Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    return cipher;
  }

  private static void requireIterations(String path, int iterations) {
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new KeyFormatException(
          path
              + ": PBKDF2 iterations must be "
              + MIN_ITERATIONS
              + " to "
              + MAX_ITERATIONS
              + ", got "
              + iterations);
    }
  }

  private static byte[] readBytes(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new KeyFileNotFoundException(path, e);
    } catch (IOException e) {
      throw new KeyFileException(path, "cannot read key file " + path + ": " + e, e);
    }
  }

  private static JsonNode parse(String source, byte[] bytes) {
    JsonNode file;
    try {
      file = CanonicalJson.parse(bytes);
    } catch (MalformedJsonException e) {
      throw new KeyFormatException(source + " is not an encrypted key file: " + e.getMessage(), e);
    }
    if (!file.isObject() || !TYPE.equals(file.path("type").asText())) {
      throw new KeyFormatException(source + " is not an encrypted key file (type " + TYPE + ")");
    }
    for (Iterator<String> names = file.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new KeyFormatException(source + ": unexpected field \"" + name + "\"");
      }
    }
    return file;
  }

  private static Map<String, String> attributes(String path, JsonNode file) {
    JsonNode node = object(path, file, "attributes");
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!field.getValue().isTextual()) {
        throw new KeyFormatException(path + ": attribute " + field.getKey() + " is not a string");
      }
      attributes.put(field.getKey(), field.getValue().textValue());
    }
    return Map.copyOf(attributes);
  }

  private static JsonNode object(String path, JsonNode parent, String name) {
    JsonNode node = parent.get(name);
    if (node == null || !node.isObject()) {
      throw new KeyFormatException(path + ": \"" + name + "\" must be an object");
    }
    return node;
  }

  private static byte[] bytes(String path, JsonNode parent, String name, int expectedLength) {
    JsonNode node = parent.get(name);
    byte[] bytes;
    try {
      bytes =
          node != null && node.isTextual() ? Base64.getDecoder().decode(node.textValue()) : null;
    } catch (IllegalArgumentException e) {
      bytes = null;
    }
    if (bytes == null || (expectedLength >= 0 && bytes.length != expectedLength)) {
      throw new KeyFormatException(
          path + ": \"" + name + "\" is not valid base64 of the right size");
    }
    return bytes;
  }

  private static byte[] random(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
