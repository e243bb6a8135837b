package dev.sluice.trust.chain;

/**
 * What a link needs could not be fetched (the server is unreachable, answered an error, or an
 * offline bundle lacks the file). Nothing was verified past this point, so nothing may be trusted.
 */
public final class ChainUnavailableException extends ChainVerificationException {
  private static final long serialVersionUID = 1L;

  public ChainUnavailableException(ChainLink link, String message) {
    super(link, message);
  }

  public ChainUnavailableException(ChainLink link, String message, Throwable cause) {
    super(link, message, cause);
  }
}
