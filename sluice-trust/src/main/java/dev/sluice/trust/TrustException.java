package dev.sluice.trust;

/**
 * Root of every exception thrown by {@code sluice-trust}. It is unchecked so that a failed
 * verification can never be silently swallowed by an empty {@code catch} the compiler forced on a
 * caller; each subclass names one failure and carries typed fields describing it.
 */
public abstract class TrustException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected TrustException(String message) {
    super(message);
  }

  protected TrustException(String message, Throwable cause) {
    super(message, cause);
  }
}
