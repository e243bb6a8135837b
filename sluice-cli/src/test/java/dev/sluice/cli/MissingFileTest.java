package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFiles;
import dev.sluice.cli.command.Terminal;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A path that does not exist is the same mistake whatever the command: every option and parameter
 * that names a file to read fails with {@link ExitCodes#NO_SUCH_FILE} and a message naming the
 * file, before the command does anything (no server is running here, so nothing could be sent).
 */
class MissingFileTest {
  @TempDir Path dir;

  /** Every (command path, input-file option or parameter) pair, found by walking the tree. */
  static Stream<Arguments> inputFileArguments() {
    List<Arguments> out = new ArrayList<>();
    HelpTest.commandPaths()
        .forEach(
            path -> {
              CommandSpec spec = spec(path);
              for (ArgSpec arg : spec.args()) {
                if (InputFiles.isInputFile(arg)) {
                  out.add(Arguments.of(path, label(arg)));
                }
              }
            });
    return out.stream();
  }

  @ParameterizedTest(name = "sluice {0} with a missing {1}")
  @MethodSource("inputFileArguments")
  void aMissingInputFileFailsWithTheSameCodeAndNamesTheFile(List<String> path, String label)
      throws IOException {
    Path existing = Files.writeString(dir.resolve("present.txt"), "x");
    Path missing = dir.resolve("no-such-" + label.replace("-", "") + ".file");
    CommandSpec spec = spec(path);
    List<String> args = new ArrayList<>(path);
    List<String> positionals = new ArrayList<>();
    for (ArgSpec arg : spec.args()) {
      boolean tested = label(arg).equals(label);
      // Other files the command reads exist; a group's members exclude each other.
      boolean needed = arg.group() == null && (arg.required() || InputFiles.isInputFile(arg));
      if (!tested && !needed) {
        continue;
      }
      String value = tested ? missing.toString() : sample(arg, existing);
      switch (arg) {
        case OptionSpec option -> {
          if (option.arity().max() == 0) {
            args.add(option.longestName());
          } else {
            args.add(option.longestName());
            args.add(value);
          }
        }
        case PositionalParamSpec parameter -> {
          while (positionals.size() < parameter.index().min()) {
            positionals.add(sample(parameter, existing));
          }
          positionals.add(value);
        }
        default -> throw new IllegalStateException("unknown argument kind " + arg);
      }
    }
    args.addAll(positionals);

    Cli.Result result = Cli.run(args.toArray(String[]::new));

    assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.NO_SUCH_FILE);
    assertThat(result.err())
        .as(result.toString())
        .contains("no such file or directory: " + missing)
        .doesNotContain("Exception");
  }

  @Test
  void verifyOfSomethingThatIsNeitherAFileNorAReleaseIdIsAMissingFile() {
    Path missing = dir.resolve("rootfs.img");

    Cli.Result result = Cli.run("verify", "--server", "http://127.0.0.1:9", missing.toString());

    assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.NO_SUCH_FILE);
    assertThat(result.err()).contains(missing.toString());
  }

  @Test
  void everyCommandThatReadsAFileDeclaresIt() {
    // The walk above must find the commands that read files; a handful is a sign it does.
    assertThat(inputFileArguments().count()).isGreaterThan(20);
  }

  private static CommandSpec spec(List<String> path) {
    CommandLine command = Main.commandLine(Terminal.system());
    for (String name : path) {
      command = command.getSubcommands().get(name);
    }
    return command.getCommandSpec();
  }

  private static String label(ArgSpec arg) {
    return switch (arg) {
      case OptionSpec option -> option.longestName();
      case PositionalParamSpec parameter -> parameter.paramLabel();
      default -> arg.toString();
    };
  }

  /** A value picocli accepts for a required argument that is not under test. */
  private static String sample(ArgSpec arg, Path existing) {
    Class<?> type = arg.auxiliaryTypes()[0];
    if (type == Path.class) {
      return existing.toString();
    }
    if (type == URI.class) {
      return "http://127.0.0.1:9";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "1";
    }
    if (type.isEnum()) {
      return type.getEnumConstants()[0].toString();
    }
    Collection<String> candidates = new ArrayList<>();
    if (arg.completionCandidates() != null) {
      arg.completionCandidates().forEach(candidates::add);
    }
    return candidates.isEmpty() ? "x" : candidates.iterator().next();
  }
}
