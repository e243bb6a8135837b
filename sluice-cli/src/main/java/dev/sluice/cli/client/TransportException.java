package dev.sluice.cli.client;

/**
 * An exchange with the server failed after it started (connection reset, interrupted, an answer
 * that does not follow the API contract), or a local file the request needed could not be read.
 */
public final class TransportException extends CliException {
  private static final long serialVersionUID = 1L;

  public TransportException(String message) {
    super(message);
  }

  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
