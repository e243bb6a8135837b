package dev.sluice.cli;

import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFiles;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.serve.ServeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Entry point of {@code sluice.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Undertow and XNIO log through JBoss Logging; send that to the same SLF4J output as the rest.
    if (System.getProperty("org.jboss.logging.provider") == null) {
      System.setProperty("org.jboss.logging.provider", "slf4j");
    }
    int code = execute(Terminal.system(), System.getenv(), args);
    System.exit(code);
  }

  /**
   * Runs {@code sluice args}: {@code serve} first takes its settings from a configuration file and
   * {@code SLUICE_*} variables ({@link ServeSettings}). Returns the exit code.
   */
  public static int execute(Terminal terminal, Map<String, String> environment, String... args) {
    boolean serving = args.length > 0 && args[0].equals("serve");
    CommandLine commandLine = commandLineFor(terminal, args);
    if (serving) {
      CommandLine serve = commandLine.getSubcommands().get("serve");
      // Settings from the file and the environment come first; the command line overrides them.
      serve.setOverwrittenOptionsAllowed(true);
      try {
        List<String> expanded =
            ServeSettings.expand(
                serve.getCommandSpec(), List.of(args).subList(1, args.length), environment);
        List<String> all = new ArrayList<>();
        all.add("serve");
        all.addAll(expanded);
        args = all.toArray(String[]::new);
      } catch (ServeSettings.MissingConfigFileException e) {
        terminal.err().println("sluice serve: " + e.getMessage());
        terminal.flush();
        return ExitCodes.NO_SUCH_FILE;
      } catch (ServeSettings.SettingsException e) {
        terminal.err().println("sluice serve: " + e.getMessage());
        terminal.flush();
        return ExitCodes.USAGE;
      }
    }
    return commandLine.execute(args);
  }

  /**
   * The command line that runs {@code args}, with the model of only what they name: {@code sluice
   * --version} needs no subcommand and {@code sluice release ...} only its own; anything else (no
   * arguments, {@code --help}, {@code help}, a mistyped name) gets all of them.
   */
  private static CommandLine commandLineFor(Terminal terminal, String... args) {
    if (args.length == 0) {
      return commandLine(terminal);
    }
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      return commandLine(terminal, List.of());
    }
    return SluiceCommand.standalone(args[0])
        .map(only -> commandLine(terminal, List.of(only)))
        .orElseGet(() -> commandLine(terminal));
  }

  /**
   * A fully configured {@code sluice} command line writing to {@code terminal}; {@code
   * execute(args)} on it returns the exit code. Tests use this to run commands in-process.
   */
  public static CommandLine commandLine(Terminal terminal) {
    return commandLine(terminal, SluiceCommand.SUBCOMMANDS);
  }

  /**
   * The {@code sluice} command line with only {@code subcommands}. A named subcommand ({@code
   * sluice serve}, {@code sluice release ...}) runs with its own command only ({@link
   * SluiceCommand#standalone}): building the model of all of them was about a quarter of the main
   * thread's CPU time before the server answered (BENCHMARKS.md, "What start-up spends its time
   * on"), and 0.2-0.3 s of a core at the start of every other command.
   */
  static CommandLine commandLine(Terminal terminal, List<Class<?>> subcommands) {
    CommandLine commandLine = new CommandLine(new SluiceCommand(terminal));
    // Added before the settings below, which apply to the subcommands present when they are set.
    subcommands.forEach(commandLine::addSubcommand);
    commandLine.setOut(terminal.out());
    commandLine.setErr(terminal.err());
    commandLine.setExecutionExceptionHandler(new ExitCodes());
    commandLine.setExecutionStrategy(new InputFiles(new CommandLine.RunLast()));
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    return commandLine;
  }
}
