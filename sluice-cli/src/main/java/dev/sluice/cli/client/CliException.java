package dev.sluice.cli.client;

import dev.sluice.cli.command.ExitCodes;

/**
 * Root of every exception the {@code sluice} command and its client throw. Each one ends the
 * command with exit code 1 (4 for a missing input file) after its message is printed; {@link
 * ExitCodes} maps them in one place.
 */
public abstract class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected CliException(String message) {
    super(message);
  }

  protected CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
