package dev.sluice.server;

/**
 * The server refuses to start because of its configuration or data directory (a wrong passphrase, a
 * log key or origin that does not match the data, a corrupted log). The message says what to fix.
 */
public final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StartupException(String message) {
    super(message);
  }

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
