package dev.sluice.cli.command;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What any command may ask of the root {@code sluice} command: the terminal it writes to, and a
 * fresh command line (the demo runs commands in-process, capturing what they print).
 */
public interface RootCommand {

  /** The terminal of this command line. */
  Terminal terminal();

  /** A new {@code sluice} command line, configured like this one, writing to {@code terminal}. */
  CommandLine newCommandLine(Terminal terminal);

  /** The root command of the command line that {@code spec} belongs to. */
  static RootCommand of(CommandSpec spec) {
    return (RootCommand) spec.root().userObject();
  }
}
