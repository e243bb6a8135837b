package dev.sluice.trust.key;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.json.MalformedJsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads and writes JSON key files. A private key file is the TUF key object plus {@code keyid} and
 * {@code keyval.private} (base64 PKCS#8); it is created readable by its owner only (mode 0600 from
 * the moment it exists), written to a temporary file, synced and renamed into place, so a crash
 * never leaves a partial key, and an existing file is never replaced unless asked. Reading checks
 * that the key id, the public key and the private key all belong together.
 */
public final class KeyFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> WORLD_READABLE =
      PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<String> KEY_FIELDS = Set.of("keytype", "scheme", "keyid", "keyval");
  private static final Set<String> KEYVAL_FIELDS = Set.of("public", "private");

  private KeyFiles() {}

  /**
   * Writes a private key file with mode 0600.
   *
   * @throws KeyFileExistsException if {@code path} exists and {@code overwrite} is false
   * @throws KeyFileException if the file cannot be written
   */
  public static void writePrivate(Path path, SigningKey key, boolean overwrite) {
    ObjectNode json = keyFileJson(key.verificationKey());
    byte[] pkcs8 = key.exportPkcs8(SecretAccess.I_WILL_PROTECT_THIS);
    byte[] content;
    try {
      ((ObjectNode) json.get("keyval")).put("private", Base64.getEncoder().encodeToString(pkcs8));
      content = render(json);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
    try {
      AtomicKeyFileWriter.write(path, content, OWNER_ONLY, overwrite);
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  /** {@link #writePrivate(Path, SigningKey, boolean)} refusing to overwrite. */
  public static void writePrivate(Path path, SigningKey key) {
    writePrivate(path, key, false);
  }

  /**
   * Writes a public key file: the TUF key object plus {@code keyid}, mode 0644.
   *
   * @throws KeyFileExistsException if {@code path} exists and {@code overwrite} is false
   * @throws KeyFileException if the file cannot be written
   */
  public static void writePublic(Path path, VerificationKey key, boolean overwrite) {
    AtomicKeyFileWriter.write(path, render(keyFileJson(key)), WORLD_READABLE, overwrite);
  }

  /** {@link #writePublic(Path, VerificationKey, boolean)} refusing to overwrite. */
  public static void writePublic(Path path, VerificationKey key) {
    writePublic(path, key, false);
  }

  /**
   * Reads a private key file.
   *
   * @throws KeyFileNotFoundException if there is no such file
   * @throws KeyFormatException if the content is not a valid private key file, its key id does not
   *     match its public key, or its private key does not match its public key
   */
  public static SigningKey readPrivate(Path path) {
    JsonNode json = readJson(path);
    VerificationKey publicKey = publicPart(path, json, true);
    JsonNode privateValue = json.get("keyval").get("private");
    if (privateValue == null || !privateValue.isTextual()) {
      throw new KeyFormatException(path + " is not a private key file (no keyval.private)");
    }
    byte[] pkcs8;
    try {
      pkcs8 = Base64.getDecoder().decode(privateValue.textValue());
    } catch (IllegalArgumentException e) {
      throw new KeyFormatException(path + ": keyval.private is not valid base64", e);
    }
    try {
      return SigningKey.fromPkcs8(publicKey, pkcs8);
    } catch (KeyFormatException e) {
      throw new KeyFormatException(path + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /**
   * Reads the public key from a public key file, a private key file (ignoring its private part) or
   * a bare TUF key object. A {@code keyid}, if present, must match the key.
   *
   * @throws KeyFileNotFoundException if there is no such file
   * @throws KeyFormatException if the content is not a valid key file
   */
  public static VerificationKey readPublic(Path path) {
    return publicPart(path, readJson(path), false);
  }

  private static VerificationKey publicPart(Path path, JsonNode json, boolean requireKeyId) {
    if (!json.isObject()) {
      throw new KeyFormatException(path + " does not hold a JSON object");
    }
    requireOnly(path, json, KEY_FIELDS, "");
    JsonNode keyval = json.get("keyval");
    if (keyval == null || !keyval.isObject()) {
      throw new KeyFormatException(path + ": a key file has an object \"keyval\"");
    }
    requireOnly(path, keyval, KEYVAL_FIELDS, "keyval.");
    ObjectNode publicOnly = ((ObjectNode) json).deepCopy();
    publicOnly.remove("keyid");
    ((ObjectNode) publicOnly.get("keyval")).remove("private");
    VerificationKey key;
    try {
      key = VerificationKey.fromTufJson(publicOnly);
    } catch (KeyFormatException e) {
      throw new KeyFormatException(path + ": " + e.getMessage(), e);
    }
    JsonNode keyId = json.get("keyid");
    if (keyId == null && requireKeyId) {
      throw new KeyFormatException(path + ": a private key file has a \"keyid\"");
    }
    if (keyId != null && !(keyId.isTextual() && keyId.textValue().equals(key.keyId()))) {
      throw new KeyFormatException(
          path
              + ": keyid "
              + keyId
              + " does not match the key (its key id is "
              + key.keyId()
              + ")");
    }
    return key;
  }

  private static void requireOnly(Path path, JsonNode object, Set<String> allowed, String prefix) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new KeyFormatException(path + ": unexpected field \"" + prefix + name + "\"");
      }
    }
  }

  private static ObjectNode keyFileJson(VerificationKey key) {
    ObjectNode tuf = key.toTufJson();
    ObjectNode json = CanonicalJson.mapper().createObjectNode();
    json.set("keytype", tuf.get("keytype"));
    json.set("scheme", tuf.get("scheme"));
    json.put("keyid", key.keyId());
    json.set("keyval", tuf.get("keyval"));
    return json;
  }

  private static byte[] render(ObjectNode json) {
    try {
      String text =
          CanonicalJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json);
      return (text + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a key object always serializes", e);
    }
  }

  private static JsonNode readJson(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new KeyFileNotFoundException(path, e);
    } catch (IOException e) {
      throw new KeyFileException(path, "cannot read key file " + path + ": " + e, e);
    }
    try {
      return CanonicalJson.parse(bytes);
    } catch (MalformedJsonException e) {
      throw new KeyFormatException(path + " is not a JSON key file: " + e.getMessage(), e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
