package dev.sluice.agent;

import java.util.OptionalInt;

/**
 * The server did not answer, or answered with an error status or a malformed body. Transient from
 * the agent's point of view: the run loop retries on its next poll and never installs anything
 * because of it.
 */
public final class ServerException extends AgentException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public ServerException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public ServerException(String message) {
    this(message, 0, null);
  }

  /** The HTTP status, if the server answered. */
  public OptionalInt status() {
    return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }
}
