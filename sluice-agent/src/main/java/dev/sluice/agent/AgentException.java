package dev.sluice.agent;

/**
 * Root of every exception the device agent throws. Unchecked, handled at one boundary: the run loop
 * (which reports to the server and logs locally) and the {@code sluice agent} command.
 */
public abstract class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected AgentException(String message) {
    super(message);
  }

  protected AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
