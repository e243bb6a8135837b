package dev.sluice.trust.key;

import dev.sluice.trust.TrustException;

/**
 * A key could not be accepted: malformed key JSON or encoding, an unsupported key type or scheme, a
 * public key that is not on the declared curve, or a key file whose parts do not belong together. A
 * key that fails here is never used.
 */
public final class KeyFormatException extends TrustException {
  private static final long serialVersionUID = 1L;

  public KeyFormatException(String message) {
    super(message);
  }

  public KeyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
