package dev.sluice.agent;

/**
 * The state directory is missing, unreadable, malformed or locked by another agent, or a
 * command-line value for it is invalid. The message names the file or option.
 */
public final class AgentStateException extends AgentException {
  private static final long serialVersionUID = 1L;

  public AgentStateException(String message) {
    super(message);
  }

  public AgentStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
