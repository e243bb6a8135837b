package dev.sluice.cli.command;

import dev.sluice.cli.client.ApiException;
import dev.sluice.cli.client.CliException;
import dev.sluice.cli.client.ServerUnreachableException;
import dev.sluice.cli.output.Output;
import dev.sluice.server.StartupException;
import dev.sluice.trust.TrustException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The exit codes of {@code sluice}, and the one place that turns a failure into a message on
 * standard error and a code.
 */
public final class ExitCodes implements IExecutionExceptionHandler {
  /** The command did what was asked. */
  public static final int OK = 0;

  /** The server refused, or an I/O operation failed. */
  public static final int FAILURE = 1;

  /** The command line was wrong (picocli's usage code). */
  public static final int USAGE = CommandLine.ExitCode.USAGE;

  /** {@code release check}: the release failed a standard. */
  public static final int BLOCKED = 3;

  /**
   * A file or directory named on the command line does not exist (every command, before it does
   * anything; see {@link InputFile}).
   */
  public static final int NO_SUCH_FILE = 4;

  @Override
  public int handleExecutionException(
      Exception exception, CommandLine commandLine, ParseResult parseResult) {
    Terminal terminal = Terminal.of(commandLine.getCommandSpec());
    terminal.out().flush();
    report(exception, terminal.err());
    terminal.err().flush();
    return codeFor(exception);
  }

  /** The exit code for a failure that escaped a command. */
  public static int codeFor(Throwable failure) {
    return switch (failure) {
      case CommandLine.ParameterException e -> USAGE;
      case NoSuchInputFileException e -> NO_SUCH_FILE;
      case java.nio.file.NoSuchFileException e -> NO_SUCH_FILE;
      case UncheckedIOException e when e.getCause() instanceof java.nio.file.NoSuchFileException ->
          NO_SUCH_FILE;
      default -> FAILURE;
    };
  }

  /** Describes {@code failure} for a person, on as many lines as it needs. */
  static void report(Throwable failure, java.io.PrintWriter err) {
    switch (failure) {
      case ApiException e -> Output.problem(err, e);
      case ServerUnreachableException e ->
          err.println(
              "sluice: no Sluice server answers at "
                  + e.server()
                  + " ("
                  + e.reason()
                  + ").\n"
                  + "sluice: start one with 'sluice serve', or point --server (or SLUICE_SERVER)"
                  + " at a running server.");
      case CliException e -> err.println("sluice: " + e.getMessage());
      case dev.sluice.agent.AgentException e -> err.println("sluice agent: " + e.getMessage());
      case TrustException e -> err.println("sluice: " + e.getMessage());
      case StartupException e -> err.println("sluice: the server cannot start: " + e.getMessage());
      case UncheckedIOException e -> err.println("sluice: " + ioMessage(e.getCause()));
      case IOException e -> err.println("sluice: " + ioMessage(e));
      default -> {
        err.println("sluice: unexpected error: " + failure);
        failure.printStackTrace(err);
      }
    }
  }

  private static String ioMessage(IOException e) {
    return switch (e) {
      case java.nio.file.NoSuchFileException n -> "no such file: " + n.getFile();
      case java.nio.file.AccessDeniedException a -> "permission denied: " + a.getFile();
      case java.nio.file.FileAlreadyExistsException f -> "file already exists: " + f.getFile();
      default -> e.getMessage() == null ? e.toString() : e.getMessage();
    };
  }
}
