package dev.sluice.trust.tlog;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * An Ed25519 key that signs C2SP signed notes (type 0x01) under a key name. Holds private key
 * material: not a record, never printed, and exported only through {@link #exportPrivateKey()}.
 */
public final class NoteSigner {
  private static final String SKEY_PREFIX = "PRIVATE+KEY+";

  private final PrivateKey privateKey;
  private final Ed25519NoteVerifier verifier;

  private NoteSigner(String name, KeyPair keyPair) {
    this.privateKey = keyPair.getPrivate();
    this.verifier = Ed25519NoteVerifier.create(name, NoteKeys.rawEd25519(keyPair.getPublic()));
  }

  /** A signer with a fresh random key. */
  public static NoteSigner generate(String name) {
    NoteKeys.requireValidName(name);
    try {
      return new NoteSigner(name, KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java 21 platform provides Ed25519", e);
    }
  }

  /**
   * A signer from a 32-byte RFC 8032 private key seed.
   *
   * @throws IllegalArgumentException if the seed is not 32 bytes or the name is invalid
   */
  public static NoteSigner fromSeed(String name, byte[] seed) {
    NoteKeys.requireValidName(name);
    if (seed.length != NoteKeys.ED25519_KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + seed.length);
    }
    try {
      // The JDK has no public "public key from seed" call; its Ed25519 generator takes the seed
      // as its 32 random bytes (RFC 8032 §5.1.5), so we hand it exactly those.
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
      KeyPair pair = generator.generateKeyPair();
      byte[] used = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
      boolean matches = Arrays.equals(used, seed);
      Arrays.fill(used, (byte) 0);
      if (!matches) {
        throw new IllegalStateException("Ed25519 generator did not use the given seed");
      }
      return new NoteSigner(name, pair);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java 21 platform provides Ed25519", e);
    }
  }

  /**
   * Parses a private key in the golang.org/x/mod/sumdb/note format {@code PRIVATE+KEY+<name>+<hex
   * key ID>+<base64(0x01 || seed)>}.
   *
   * @throws MalformedNoteException if it is malformed or its key ID does not match
   */
  public static NoteSigner parse(String skey) {
    if (skey == null || !skey.startsWith(SKEY_PREFIX)) {
      throw new MalformedNoteException("a signer key starts with " + SKEY_PREFIX);
    }
    // Names and IDs never contain '+', but the base64 key material may.
    String[] parts = skey.substring(SKEY_PREFIX.length()).split("\\+", 3);
    if (parts.length != 3 || !NoteKeys.isValidName(parts[0])) {
      throw new MalformedNoteException("a signer key is PRIVATE+KEY+<name>+<id>+<key>");
    }
    byte[] typed = NoteKeys.decodeBase64(parts[2]);
    if (typed == null
        || typed.length != 1 + NoteKeys.ED25519_KEY_SIZE
        || typed[0] != NoteKeys.TYPE_ED25519) {
      throw new MalformedNoteException("signer key is not an Ed25519 seed");
    }
    byte[] seed = Arrays.copyOfRange(typed, 1, typed.length);
    Arrays.fill(typed, (byte) 0);
    NoteSigner signer = fromSeed(parts[0], seed);
    Arrays.fill(seed, (byte) 0);
    if (!NoteKeys.hexId(signer.keyId()).equals(parts[1])) {
      throw new MalformedNoteException("signer key ID does not match its name and key");
    }
    return signer;
  }

  /**
   * The private key in the format {@link #parse} reads. Secret: store it encrypted, never log it.
   */
  public String exportPrivateKey() {
    byte[] seed = ((EdECPrivateKey) privateKey).getBytes().orElseThrow();
    try {
      return SKEY_PREFIX + NoteKeys.encode(name(), keyId(), NoteKeys.TYPE_ED25519, seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  public String name() {
    return verifier.name();
  }

  public int keyId() {
    return verifier.keyId();
  }

  /** The matching verifier, to publish as a vkey. */
  public Ed25519NoteVerifier verifier() {
    return verifier;
  }

  /** Ed25519 signature over the note text (without the key ID prefix). */
  byte[] sign(byte[] noteText) {
    try {
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initSign(privateKey);
      ed25519.update(noteText);
      return ed25519.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  @Override
  public String toString() {
    return "NoteSigner[" + name() + "+" + NoteKeys.hexId(keyId()) + "]";
  }

  /** Hands out one fixed byte string, so key generation becomes derivation from a seed. */
  private static final class FixedBytes extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    FixedBytes(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    @Override
    public void nextBytes(byte[] out) {
      if (out.length != bytes.length) {
        throw new IllegalStateException("expected a request for " + bytes.length + " bytes");
      }
      System.arraycopy(bytes, 0, out, 0, bytes.length);
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
