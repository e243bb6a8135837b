package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.command.Terminal;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every command and subcommand explains itself: {@code --help}, {@code sluice help CMD}. */
class HelpTest {

  /** Every command path, e.g. {@code [release, create]}, found by walking the command tree. */
  static Stream<List<String>> commandPaths() {
    List<List<String>> out = new ArrayList<>();
    walk(Main.commandLine(Terminal.system()), new ArrayList<>(), out);
    return out.stream();
  }

  private static void walk(CommandLine command, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    for (var sub : command.getSubcommands().entrySet()) {
      if (sub.getValue().getCommandSpec().name().equals(sub.getKey())) {
        path.add(sub.getKey());
        walk(sub.getValue(), path, out);
        path.removeLast();
      }
    }
  }

  @ParameterizedTest(name = "sluice {0} --help")
  @MethodSource("commandPaths")
  void helpWorksOnEveryCommand(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    Cli.Result result = Cli.run(args.toArray(String[]::new));

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out()).as(result.toString()).contains("Usage:");
    assertThat(result.err()).as("nothing on stderr, no picocli warnings").isEmpty();
  }

  @ParameterizedTest(name = "sluice {0}: every option and parameter is described")
  @MethodSource("commandPaths")
  void everyOptionAndParameterHasADescription(List<String> path) {
    CommandLine command = Main.commandLine(Terminal.system());
    for (String name : path) {
      command = command.getSubcommands().get(name);
    }
    List<String> undescribed = new ArrayList<>();
    for (var option : command.getCommandSpec().options()) {
      if (blank(option.description())) {
        undescribed.add(option.longestName());
      }
    }
    for (var parameter : command.getCommandSpec().positionalParameters()) {
      if (blank(parameter.description())) {
        undescribed.add(parameter.paramLabel());
      }
    }
    assertThat(undescribed).as("undescribed in sluice " + String.join(" ", path)).isEmpty();
    String summary = String.join(" ", command.getCommandSpec().usageMessage().description());
    if (!path.isEmpty()) {
      assertThat(summary).as("summary of sluice " + String.join(" ", path)).isNotBlank();
    }
  }

  private static boolean blank(String[] description) {
    return description == null || String.join("", description).isBlank();
  }

  @ParameterizedTest(name = "sluice {0} --help, only its own command built")
  @MethodSource("commandPaths")
  void everyCommandExplainsItselfTheSameWhenOnlyItsOwnCommandIsBuilt(List<String> path) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(path);
    args.add("--help");

    int code = Main.execute(new Terminal(out, err), Map.of(), args.toArray(String[]::new));

    CommandLine full = Main.commandLine(Terminal.system());
    for (String name : path) {
      full = full.getSubcommands().get(name);
    }
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(full.getUsageMessage());
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void versionAndCompletionWorkThroughTheEntryPoint() {
    ByteArrayOutputStream version = new ByteArrayOutputStream();
    assertThat(
            Main.execute(new Terminal(version, new ByteArrayOutputStream()), Map.of(), "--version"))
        .isZero();
    assertThat(version.toString(StandardCharsets.UTF_8)).startsWith("sluice ");

    ByteArrayOutputStream completion = new ByteArrayOutputStream();
    assertThat(
            Main.execute(
                new Terminal(completion, new ByteArrayOutputStream()),
                Map.of(),
                "completion",
                "bash"))
        .isZero();
    // Completion describes every command, not only itself.
    assertThat(completion.toString(StandardCharsets.UTF_8)).contains("release").contains("rollout");
  }

  @Test
  void serveRejectsAnUnknownOptionAsAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        Main.execute(
            new Terminal(new ByteArrayOutputStream(), err), Map.of(), "serve", "--no-such-option");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--no-such-option");
  }

  @Test
  void completionPrintsABashScriptForEveryCommand() {
    Cli.Result result = Cli.run("completion", "bash");

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out()).contains("complete -F").contains("release").contains("rollout");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void helpCommandShowsASubcommandsHelp() {
    Cli.Result result = Cli.run("help", "release");

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out()).contains("Usage: sluice release");
  }

  @Test
  void anUnknownCommandSaysHowToGetHelp() {
    Cli.Result result = Cli.run("relase");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("relase");
  }
}
