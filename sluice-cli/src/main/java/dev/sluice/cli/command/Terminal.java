package dev.sluice.cli.command;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command writes: text to {@link #out()} and {@link #err()}, exact bytes to {@link
 * #stdout()}. Tests pass in-memory streams; {@link #system()} is the process's own.
 */
public final class Terminal {
  private final OutputStream stdout;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean errIsTerminal;

  public Terminal(OutputStream stdout, OutputStream stderr) {
    this(stdout, stderr, false);
  }

  private Terminal(OutputStream stdout, OutputStream stderr, boolean errIsTerminal) {
    this.errIsTerminal = errIsTerminal;
    this.stdout = stdout;
    this.out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    this.err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
  }

  public static Terminal system() {
    PrintStream sysOut = System.out;
    PrintStream sysErr = System.err;
    return new Terminal(sysOut, sysErr, isTerminal(2));
  }

  /**
   * Whether standard error is a terminal, so that progress bars may be drawn on it (never when it
   * goes to a file, a pipe or journald). Linux: file descriptor 2 is a tty or pseudo-terminal.
   */
  public boolean errIsTerminal() {
    return errIsTerminal;
  }

  private static boolean isTerminal(int fd) {
    try {
      String target =
          java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd))
              .toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** The terminal of the command line that {@code spec} belongs to. */
  public static Terminal of(CommandSpec spec) {
    return RootCommand.of(spec).terminal();
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  /** Writes {@code bytes} to standard output exactly, after any text already written. */
  public void writeBytes(byte[] bytes) {
    out.flush();
    try {
      stdout.write(bytes);
      stdout.flush();
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void flush() {
    out.flush();
    err.flush();
  }
}
