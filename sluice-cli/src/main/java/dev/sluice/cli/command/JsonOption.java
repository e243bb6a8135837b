package dev.sluice.cli.command;

import picocli.CommandLine.Option;

/**
 * The {@code --json} option, shared as a picocli mixin by every command that can print its result
 * (most often the server's answer, as it came) as JSON instead of text.
 */
public final class JsonOption {
  @Option(
      names = "--json",
      description =
          "Print the result as JSON (the server's answer where there is one), for scripts.")
  private boolean json;

  /** Whether {@code --json} was given. */
  public boolean requested() {
    return json;
  }
}
