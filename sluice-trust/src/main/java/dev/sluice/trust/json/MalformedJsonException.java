package dev.sluice.trust.json;

import dev.sluice.trust.TrustException;

/**
 * Bytes are not one well-formed JSON document in strict UTF-8: a syntax error, a duplicate object
 * key, trailing content, or empty input. Duplicate keys are refused because two parsers could
 * otherwise disagree on which value a signature covered.
 */
public final class MalformedJsonException extends TrustException {
  private static final long serialVersionUID = 1L;

  public MalformedJsonException(String message, Throwable cause) {
    super(message, cause);
  }

  public MalformedJsonException(String message) {
    super(message);
  }
}
