package dev.sluice.trust.tlog;

import dev.sluice.trust.key.Ed25519Encodings;
import dev.sluice.trust.key.KeyFormatException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies C2SP signed-note Ed25519 signatures (type 0x01) over the note text. A note accepted
 * through this verifier was signed by the holder of this exact public key under this name.
 */
public final class Ed25519NoteVerifier implements NoteVerifier {
  private final String name;
  private final byte[] publicKey;
  private final PublicKey jcaKey;
  private final int keyId;

  private Ed25519NoteVerifier(String name, byte[] publicKey) {
    this.name = NoteKeys.requireValidName(name);
    this.publicKey = publicKey.clone();
    this.jcaKey = NoteKeys.ed25519PublicKey(this.publicKey);
    this.keyId = NoteKeys.keyId(name, NoteKeys.TYPE_ED25519, this.publicKey);
  }

  /**
   * @param publicKey the 32-byte RFC 8032 encoding of the public key
   * @throws KeyFormatException if it is a small-order point or not a canonical encoding
   */
  public static Ed25519NoteVerifier create(String name, byte[] publicKey) {
    return new Ed25519NoteVerifier(name, publicKey);
  }

  static Ed25519NoteVerifier fromTypedKey(String name, byte[] typedKey) {
    if (typedKey.length != 1 + NoteKeys.ED25519_KEY_SIZE) {
      throw new MalformedNoteException("an Ed25519 vkey holds a 32-byte key");
    }
    try {
      return new Ed25519NoteVerifier(name, Arrays.copyOfRange(typedKey, 1, typedKey.length));
    } catch (IllegalArgumentException | KeyFormatException e) {
      throw new MalformedNoteException("invalid Ed25519 key: " + e.getMessage());
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int keyId() {
    return keyId;
  }

  /** The 32-byte public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public void verify(byte[] noteText, byte[] signature) {
    Optional<String> defect = Ed25519Encodings.signatureDefect(signature);
    if (defect.isPresent()) {
      throw new NoteVerificationException(name, "invalid Ed25519 signature: " + defect.get());
    }
    boolean valid;
    try {
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initVerify(jcaKey);
      ed25519.update(noteText);
      valid = signature.length == 64 && ed25519.verify(signature);
    } catch (GeneralSecurityException e) {
      valid = false;
    }
    if (!valid) {
      throw new NoteVerificationException(name, "invalid Ed25519 signature");
    }
  }

  @Override
  public String vkey() {
    return NoteKeys.encode(name, keyId, NoteKeys.TYPE_ED25519, publicKey);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Ed25519NoteVerifier that
        && name.equals(that.name)
        && Arrays.equals(publicKey, that.publicKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(publicKey));
  }

  @Override
  public String toString() {
    return vkey();
  }
}
