package dev.sluice.cli.command;

import dev.sluice.cli.client.Pager;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --limit} and {@code --after} options every list command shares (a picocli mixin): it
 * reads every page the server answers, following each page's cursor, unless {@code --limit N} stops
 * it; then standard error says how to go on.
 */
public final class PageOptions {
  @Spec(Spec.Target.MIXEE)
  private CommandSpec spec;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "At most N items (default: all of them, read page by page).")
  private Integer limit;

  @Option(
      names = "--after",
      paramLabel = "CURSOR",
      description = "Go on where a --limit stopped (standard error names the cursor).")
  private String after;

  /** {@code --after}, as given. */
  public Optional<String> after() {
    return Optional.ofNullable(after);
  }

  /** Reads the list page by page with {@code fetch(cursor, size)}, up to {@code --limit}. */
  public <T> Pager.Read<T, String> read(
      BiFunction<Optional<String>, Integer, Pager.Page<T, String>> fetch) {
    if (limit != null && limit < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
    }
    OptionalInt most = limit == null ? OptionalInt.empty() : OptionalInt.of(limit);
    return Pager.read(Optional.ofNullable(after), Pager.SERVER_PAGE, most, fetch);
  }

  /** Tells standard error how to read on, when {@code --limit} stopped before the list's end. */
  public void more(Terminal terminal, String things, Pager.Read<?, String> read) {
    read.more().ifPresent(c -> terminal.err().println("more " + things + ": add --after " + c));
  }
}
