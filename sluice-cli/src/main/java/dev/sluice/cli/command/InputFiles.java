package dev.sluice.cli.command;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * Runs the chosen command only once every {@link InputFile} it was given exists: a mistyped path
 * fails before anything is sent or written (not halfway through, after a draft release was
 * created), with one message and one exit code whatever the command.
 */
public final class InputFiles implements IExecutionStrategy {
  private final IExecutionStrategy next;

  public InputFiles(IExecutionStrategy next) {
    this.next = next;
  }

  @Override
  public int execute(ParseResult parseResult) {
    ParseResult last = parseResult;
    while (last.subcommand() != null) {
      last = last.subcommand();
    }
    if (!last.isUsageHelpRequested() && !last.isVersionHelpRequested()) {
      CommandLine command = last.commandSpec().commandLine();
      List<ArgSpec> matched = last.matchedArgs();
      for (ArgSpec arg : last.commandSpec().args()) {
        // An option of an argument group that was not given has no instance to read from.
        boolean unread = arg.group() != null && !matched.contains(arg);
        if (isInputFile(arg) && !unread) {
          check(command, arg);
        }
      }
    }
    return next.execute(parseResult);
  }

  /** Whether {@code arg} was declared on a field marked {@link InputFile}. */
  public static boolean isInputFile(ArgSpec arg) {
    return arg.userObject() instanceof Field field && field.isAnnotationPresent(InputFile.class);
  }

  private static void check(CommandLine command, ArgSpec arg) {
    Object value = arg.getValue();
    if (value == null) {
      return;
    }
    Collection<?> paths = value instanceof Collection<?> many ? many : List.of(value);
    for (Object path : paths) {
      if (path instanceof Path file && !Files.exists(file)) {
        throw new ExecutionException(
            command, "missing input file", new NoSuchInputFileException(file, name(arg)));
      }
    }
  }

  private static String name(ArgSpec arg) {
    return switch (arg) {
      case OptionSpec option -> option.longestName();
      case PositionalParamSpec parameter -> parameter.paramLabel();
      default -> arg.toString();
    };
  }
}
