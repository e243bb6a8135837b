package dev.sluice.cli.command;

import dev.sluice.cli.client.CliException;
import java.nio.file.Path;

/** A file or directory named on the command line, which the command must read, does not exist. */
public final class NoSuchInputFileException extends CliException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String option;

  public NoSuchInputFileException(Path file, String option) {
    super("no such file or directory: " + file + " (" + option + ")");
    this.file = file.toString();
    this.option = option;
  }

  /** The path as given. */
  public String file() {
    return file;
  }

  /** The option or parameter that named it, e.g. {@code --key}. */
  public String option() {
    return option;
  }
}
