package dev.sluice.trust.key;

import dev.sluice.trust.TrustException;

/**
 * A signature did not verify under a key. Thrown for every failure (wrong key, altered message,
 * malformed signature bytes), so the only way past {@link VerificationKey#verify} is a valid
 * signature.
 */
public final class SignatureVerificationException extends TrustException {
  private static final long serialVersionUID = 1L;

  private final String keyId;
  private final String reason;

  public SignatureVerificationException(String keyId, String reason) {
    super("signature does not verify under key " + keyId + ": " + reason);
    this.keyId = keyId;
    this.reason = reason;
  }

  public SignatureVerificationException(String keyId, String reason, Throwable cause) {
    super("signature does not verify under key " + keyId + ": " + reason, cause);
    this.keyId = keyId;
    this.reason = reason;
  }

  /** The TUF key id of the key the signature was checked against. */
  public String keyId() {
    return keyId;
  }

  /** Why it failed, for humans (for example "signature is not valid", "malformed signature"). */
  public String reason() {
    return reason;
  }
}
