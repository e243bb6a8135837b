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

  public Terminal(OutputStream stdout, OutputStream stderr) {
    this.stdout = stdout;
    this.out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    this.err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
  }

  public static Terminal system() {
    PrintStream sysOut = System.out;
    PrintStream sysErr = System.err;
    return new Terminal(sysOut, sysErr);
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
