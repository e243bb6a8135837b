package dev.sluice.trust.tlog;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One signature line of a signed note: {@code — <keyName> base64(keyId || signature)}. Parsing a
 * line says nothing about its validity; only {@link VerifiedNote#verifiedSignatures()} lists
 * checked ones.
 *
 * @param signature the bytes after the 4-byte key ID
 */
public record NoteSignature(String keyName, int keyId, byte[] signature) {
  public NoteSignature {
    if (!NoteKeys.isValidName(keyName)) {
      throw new IllegalArgumentException("invalid note key name: " + keyName);
    }
    if (signature.length == 0) {
      throw new IllegalArgumentException("a signature is not empty");
    }
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The signature line including the em dash prefix and the final newline. */
  public String line() {
    byte[] blob = new byte[4 + signature.length];
    blob[0] = (byte) (keyId >>> 24);
    blob[1] = (byte) (keyId >>> 16);
    blob[2] = (byte) (keyId >>> 8);
    blob[3] = (byte) keyId;
    System.arraycopy(signature, 0, blob, 4, signature.length);
    return SignedNote.SIGNATURE_PREFIX
        + keyName
        + " "
        + Base64.getEncoder().encodeToString(blob)
        + "\n";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NoteSignature that
        && keyName.equals(that.keyName)
        && keyId == that.keyId
        && Arrays.equals(signature, that.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyName, keyId, Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return line().strip();
  }
}
