package dev.sluice.cli;

import dev.sluice.cli.command.Terminal;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Runs {@code sluice} in-process, as a user would from a shell, capturing both outputs. */
public final class Cli {
  private Cli() {}

  /** What a run printed and returned. */
  public record Result(int code, byte[] stdout, String err) {
    public String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out() + "--- stderr\n" + err;
    }
  }

  public static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Terminal terminal = new Terminal(out, err);
    int code = Main.commandLine(terminal).execute(args);
    terminal.flush();
    return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }
}
