package dev.sluice.server.keys;

/**
 * An online key cannot be opened, stored or imported: a wrong passphrase, a key altered in the
 * database, a key file that does not hold what its name says. The message names the key and says
 * what to do; at start-up it ends the start without a stack trace.
 */
public final class OnlineKeyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OnlineKeyException(String message) {
    super(message);
  }

  public OnlineKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
