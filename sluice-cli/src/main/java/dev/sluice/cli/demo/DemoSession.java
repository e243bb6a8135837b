package dev.sluice.cli.demo;

import dev.sluice.cli.command.RootCommand;
import dev.sluice.cli.command.Terminal;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code sluice} commands in-process exactly as a person would type them, printing each
 * command line (tokens shown as the variable names a person would use) and its output.
 */
final class DemoSession {
  private static final java.util.regex.Pattern SECRET =
      java.util.regex.Pattern.compile("sluice_[A-Za-z0-9_-]{43,}");
  private final RootCommand root;
  private final Terminal terminal;
  private final URI server;
  private final Path workDir;

  DemoSession(RootCommand root, URI server, Path workDir) {
    this.root = root;
    this.terminal = root.terminal();
    this.server = server;
    this.workDir = workDir;
  }

  URI server() {
    return server;
  }

  /**
   * Who runs a command: a name shown in the prompt, the variable holding their token, the token.
   */
  record Actor(String name, String tokenVariable, String token) {}

  /** The outcome of one command: its exit code and what it wrote to stdout. */
  record Result(int exitCode, String stdout) {
    String firstLine() {
      return stdout.strip().lines().findFirst().orElse("");
    }
  }

  void narrate(String text) {
    PrintWriter out = terminal.out();
    out.println();
    out.println("── " + text);
    out.flush();
  }

  void note(String text) {
    terminal.out().println("   " + text);
    terminal.out().flush();
  }

  /** Runs a command that needs no server (e.g. key generation). */
  Result local(String actor, String... args) {
    return run(actor, null, List.of(args));
  }

  /** Runs an API command as {@code actor}, against the demo server. */
  Result api(Actor actor, String... args) {
    List<String> full = new ArrayList<>(List.of(args));
    full.add("--server");
    full.add(server.toString());
    full.add("--token");
    full.add(actor.token());
    return run(actor.name(), actor, full);
  }

  private Result run(String actorName, Actor actor, List<String> args) {
    PrintWriter out = terminal.out();
    out.println(prompt(actorName, actor, args));
    out.flush();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code =
        root.newCommandLine(new Terminal(stdout, stderr)).execute(args.toArray(String[]::new));
    String printed = stdout.toString(StandardCharsets.UTF_8);
    String errors = stderr.toString(StandardCharsets.UTF_8);
    indent(out, SECRET.matcher(printed).replaceAll("sluice_… (the token; kept by the demo)"));
    indent(out, errors);
    if (code != 0) {
      out.println("   (exit code " + code + ")");
    }
    out.flush();
    return new Result(code, printed);
  }

  private String prompt(String actorName, Actor actor, List<String> args) {
    StringBuilder line = new StringBuilder();
    line.append('[').append(actorName).append("] $ ");
    if (actor != null) {
      line.append("SLUICE_TOKEN=$").append(actor.tokenVariable()).append(' ');
    }
    line.append("sluice");
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--token") || arg.equals("--server")) {
        i++;
        continue;
      }
      line.append(' ').append(shellQuote(relative(arg)));
    }
    return line.toString();
  }

  private String relative(String arg) {
    String prefix = workDir.toAbsolutePath() + "/";
    return arg.startsWith(prefix) ? arg.substring(prefix.length()) : arg;
  }

  private static String shellQuote(String arg) {
    return arg.matches("[A-Za-z0-9_./:=@%+,-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }

  private static void indent(PrintWriter out, String text) {
    text.lines().forEach(line -> out.println("   " + line));
  }
}
