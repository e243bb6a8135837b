package dev.sluice.trust.key;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Objects;

/**
 * A private key with its public half. Its secret bytes are never printed and can be read only
 * through {@link #exportPkcs8(SecretAccess)}; an instance is only ever created for a private key
 * proven to match its public key, so what it signs always verifies under {@link
 * #verificationKey()}. Instances are immutable and safe to share between threads.
 */
public final class SigningKey {
  private static final byte[] PAIRWISE_CHALLENGE =
      "sluice pairwise consistency test".getBytes(StandardCharsets.US_ASCII);

  private final PrivateKey privateKey;
  private final VerificationKey verificationKey;

  private SigningKey(PrivateKey privateKey, VerificationKey verificationKey) {
    this.privateKey = privateKey;
    this.verificationKey = verificationKey;
  }

  /** A new random key from the platform's strong random source. */
  public static SigningKey generate(KeyScheme scheme) {
    Objects.requireNonNull(scheme, "scheme");
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(scheme.jcaKeyAlgorithm());
      if (scheme == KeyScheme.ECDSA_P256) {
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      }
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the platform cannot generate " + scheme + " keys", e);
    }
    return new SigningKey(pair.getPrivate(), VerificationKey.of(scheme, pair.getPublic()));
  }

  /**
   * A key from its PKCS#8 encoding and its public half. A sign-then-verify test proves the two
   * belong together before the key is returned.
   *
   * @throws KeyFormatException if the bytes are not a private key of the public key's scheme, or
   *     the private key does not match the public key
   */
  public static SigningKey fromPkcs8(VerificationKey publicKey, byte[] pkcs8) {
    Objects.requireNonNull(publicKey, "publicKey");
    KeyScheme scheme = publicKey.scheme();
    PrivateKey privateKey;
    try {
      privateKey =
          KeyFactory.getInstance(scheme.jcaKeyAlgorithm())
              .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeyFormatException("invalid " + scheme.cliName() + " PKCS#8 private key", e);
    }
    SigningKey key = new SigningKey(privateKey, publicKey);
    try {
      publicKey.verify(PAIRWISE_CHALLENGE, key.sign(PAIRWISE_CHALLENGE));
    } catch (SignatureVerificationException | IllegalStateException e) {
      throw new KeyFormatException("private key does not match public key " + publicKey.keyId(), e);
    }
    return key;
  }

  /** Signs a message: Ed25519 signature (64 bytes) or DER ECDSA signature over SHA-256. */
  public byte[] sign(byte[] message) {
    Objects.requireNonNull(message, "message");
    try {
      Signature signer = Signature.getInstance(scheme().jcaSignatureAlgorithm());
      signer.initSign(privateKey);
      signer.update(message);
      return signer.sign();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException("signing with " + verificationKey + " failed", e);
    }
  }

  public VerificationKey verificationKey() {
    return verificationKey;
  }

  public KeyScheme scheme() {
    return verificationKey.scheme();
  }

  /** The TUF key id of the public half. */
  public String keyId() {
    return verificationKey.keyId();
  }

  /** The PKCS#8 encoding of the private key, a fresh copy the caller must protect and erase. */
  public byte[] exportPkcs8(SecretAccess access) {
    Objects.requireNonNull(access, "access");
    // JCA keys return a fresh array from getEncoded().
    return privateKey.getEncoded();
  }

  /** Names the key, never its secret. */
  @Override
  public String toString() {
    return "SigningKey[" + verificationKey + "]";
  }
}
