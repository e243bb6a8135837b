package dev.sluice.cli;

import picocli.CommandLine;

/** Entry point of {@code sluice.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Undertow and XNIO log through JBoss Logging; send that to the same SLF4J output as the rest.
    if (System.getProperty("org.jboss.logging.provider") == null) {
      System.setProperty("org.jboss.logging.provider", "slf4j");
    }
    int code = commandLine(Terminal.system()).execute(args);
    System.exit(code);
  }

  /**
   * A fully configured {@code sluice} command line writing to {@code terminal}; {@code
   * execute(args)} on it returns the exit code. Tests use this to run commands in-process.
   */
  public static CommandLine commandLine(Terminal terminal) {
    CommandLine commandLine = new CommandLine(new SluiceCommand(terminal));
    commandLine.setOut(terminal.out());
    commandLine.setErr(terminal.err());
    commandLine.setExecutionExceptionHandler(new ExitCodes());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    return commandLine;
  }
}
