package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpCommandInitializable2;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice help [COMMAND [SUBCOMMAND…]]}: the same text as {@code sluice COMMAND --help}. (Not
 * picocli's own {@code HelpCommand}: that declares its own {@code -h}, which would clash with the
 * {@code --help} every command inherits.)
 */
@Command(
    name = "help",
    description = "Show the help of a command, e.g. 'sluice help release create'.",
    helpCommand = true)
final class HelpSubcommand implements Callable<Integer>, IHelpCommandInitializable2 {
  @Parameters(
      paramLabel = "COMMAND",
      arity = "0..*",
      description = "The command and subcommands to explain; none for the list of commands.")
  private List<String> path = new ArrayList<>();

  private CommandLine self;
  private Help.ColorScheme colors;
  private PrintWriter out;
  private PrintWriter err;

  @Override
  public void init(
      CommandLine helpCommandLine,
      Help.ColorScheme colorScheme,
      PrintWriter outWriter,
      PrintWriter errWriter) {
    this.self = helpCommandLine;
    this.colors = colorScheme;
    this.out = outWriter;
    this.err = errWriter;
  }

  @Override
  public Integer call() {
    CommandLine command = self.getParent();
    for (String name : path) {
      CommandLine sub = command.getSubcommands().get(name);
      if (sub == null) {
        err.println(
            "Unknown command '"
                + String.join(" ", path)
                + "': 'sluice "
                + command.getCommandSpec().qualifiedName().replaceFirst("^sluice ?", "")
                + " --help' lists the commands.");
        err.flush();
        return 2;
      }
      command = sub;
    }
    command.usage(out, colors);
    out.flush();
    return 0;
  }
}
