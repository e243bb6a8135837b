package dev.sluice.cli.command;

import dev.sluice.cli.client.Pager;
import java.util.OptionalInt;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What every list command shares: all pages unless {@code --limit N}, and where a limit stopped,
 * how to go on ({@code --after CURSOR}).
 */
public final class Lists {
  private Lists() {}

  /** {@code --limit} as given (empty: every page); below 1 is a usage error. */
  public static OptionalInt limit(CommandSpec spec, Integer limit) {
    if (limit != null && limit < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
    }
    return limit == null ? OptionalInt.empty() : OptionalInt.of(limit);
  }

  /** Tells standard error how to read on, when {@code --limit} stopped before the list's end. */
  public static void more(Terminal terminal, String things, Pager.Read<?, ?> read) {
    read.more().ifPresent(c -> terminal.err().println("more " + things + ": add --after " + c));
  }
}
