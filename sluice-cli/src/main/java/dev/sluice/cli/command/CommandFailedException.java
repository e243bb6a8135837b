package dev.sluice.cli.command;

import dev.sluice.cli.client.CliException;

/** A command could not do what was asked for a reason it explains in its message. */
public final class CommandFailedException extends CliException {
  private static final long serialVersionUID = 1L;

  public CommandFailedException(String message) {
    super(message);
  }

  public CommandFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
