package dev.sluice.trust.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Iterator;
import java.util.Objects;

/**
 * A public key that verifies signatures under one {@link KeyScheme}. An instance always holds a
 * valid key of its scheme, and {@link #verify} either returns normally for a valid signature or
 * throws; there is no boolean result to ignore.
 *
 * <p>Its identity is its TUF key id (TUF 1.0 §4.2): the lowercase hex SHA-256 of the canonical JSON
 * of {@code {"keytype":…,"scheme":…,"keyval":{"public":…}}}, computed over the exact public value
 * string, as securesystemslib does.
 */
public final class VerificationKey {
  private final KeyScheme scheme;
  private final String publicValue;
  private final PublicKey jcaKey;
  private final String keyId;

  private VerificationKey(KeyScheme scheme, String publicValue, PublicKey jcaKey) {
    this.scheme = scheme;
    this.publicValue = publicValue;
    this.jcaKey = jcaKey;
    this.keyId = Sha256.of(CanonicalJson.encode(toTufJson())).hex();
  }

  static VerificationKey of(KeyScheme scheme, PublicKey jcaKey) {
    return new VerificationKey(scheme, PublicKeyCodec.toTufPublic(scheme, jcaKey), jcaKey);
  }

  /**
   * A key from its binary encoding: the raw 32 bytes for Ed25519 (as in C2SP signed-note verifier
   * keys), the DER SubjectPublicKeyInfo for ECDSA.
   *
   * @throws KeyFormatException if the bytes are not a valid key of the scheme
   */
  public static VerificationKey fromPublicKeyBytes(KeyScheme scheme, byte[] bytes) {
    Objects.requireNonNull(scheme, "scheme");
    return of(scheme, PublicKeyCodec.fromBytes(scheme, bytes.clone()));
  }

  /**
   * Reads a TUF key object {@code {"keytype","scheme","keyval":{"public"}}}. Other top-level fields
   * (such as {@code keyid_hash_algorithms} or {@code x-…} extensions) are ignored and do not enter
   * the key id; {@code keyval} must hold exactly {@code public}.
   *
   * @throws KeyFormatException if the object is not a valid key of a supported scheme
   */
  public static VerificationKey fromTufJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new KeyFormatException("a TUF key is a JSON object");
    }
    KeyScheme scheme = KeyScheme.fromTuf(text(json, "keytype"), text(json, "scheme"));
    JsonNode keyval = json.get("keyval");
    if (keyval == null || !keyval.isObject()) {
      throw new KeyFormatException("a TUF key has an object \"keyval\"");
    }
    if (keyval.has("private")) {
      throw new KeyFormatException("keyval holds a private key where a public key was expected");
    }
    for (Iterator<String> names = keyval.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("public")) {
        throw new KeyFormatException("unexpected field \"" + name + "\" in keyval");
      }
    }
    String publicValue = text(keyval, "public");
    return new VerificationKey(
        scheme, publicValue, PublicKeyCodec.fromTufPublic(scheme, publicValue));
  }

  private static String text(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || !value.isTextual()) {
      throw new KeyFormatException("a TUF key has a string \"" + field + "\"");
    }
    return value.textValue();
  }

  public KeyScheme scheme() {
    return scheme;
  }

  /** The TUF key id: 64 lowercase hex characters. */
  public String keyId() {
    return keyId;
  }

  /** The TUF {@code keyval.public} string exactly as the key id covers it. */
  public String publicValue() {
    return publicValue;
  }

  /** Raw 32 bytes for Ed25519, DER SubjectPublicKeyInfo for ECDSA. */
  public byte[] publicKeyBytes() {
    return PublicKeyCodec.toBytes(scheme, jcaKey);
  }

  /** A fresh TUF key object {@code {"keytype","scheme","keyval":{"public"}}} (no key id). */
  public ObjectNode toTufJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("keytype", scheme.keytype());
    json.put("scheme", scheme.scheme());
    json.putObject("keyval").put("public", publicValue);
    return json;
  }

  /**
   * Verifies a signature over a message.
   *
   * @throws SignatureVerificationException if the signature is not a valid signature of exactly
   *     this message under this key, including when the signature bytes are malformed
   */
  public void verify(byte[] message, byte[] signature) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(signature, "signature");
    if (scheme == KeyScheme.ED25519) {
      // Refused before the JDK sees them: small-order or non-canonical R, S >= L.
      Ed25519Encodings.signatureDefect(signature)
          .ifPresent(
              defect -> {
                throw new SignatureVerificationException(keyId, defect);
              });
    }
    boolean valid;
    try {
      Signature verifier = Signature.getInstance(scheme.jcaSignatureAlgorithm());
      verifier.initVerify(jcaKey);
      verifier.update(message);
      valid = verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      // JCA reports malformed signatures (bad DER, wrong length) by throwing; treat as invalid.
      throw new SignatureVerificationException(keyId, "malformed signature", e);
    }
    if (!valid) {
      throw new SignatureVerificationException(keyId, "signature is not valid");
    }
  }

  PublicKey jcaKey() {
    return jcaKey;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerificationKey other && keyId.equals(other.keyId);
  }

  @Override
  public int hashCode() {
    return keyId.hashCode();
  }

  /** For example {@code ed25519:4c1b…}. */
  @Override
  public String toString() {
    return scheme.cliName() + ":" + keyId;
  }
}
