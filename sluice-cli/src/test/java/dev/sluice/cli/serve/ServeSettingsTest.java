package dev.sluice.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cli.Cli;
import dev.sluice.cli.Main;
import dev.sluice.cli.command.Terminal;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sluice serve} reads a YAML file and SLUICE_* variables; the command line wins. */
class ServeSettingsTest {
  @TempDir Path dir;

  /** Parses {@code sluice serve args} as {@code sluice} would with this environment. */
  private static CommandSpec parse(Map<String, String> env, String... args) {
    CommandLine root =
        Main.commandLine(new Terminal(new ByteArrayOutputStream(), new ByteArrayOutputStream()));
    CommandLine serve = root.getSubcommands().get("serve");
    serve.setOverwrittenOptionsAllowed(true);
    List<String> expanded = ServeSettings.expand(serve.getCommandSpec(), List.of(args), env);
    List<String> all = new java.util.ArrayList<>(List.of("serve"));
    all.addAll(expanded);
    root.parseArgs(all.toArray(String[]::new));
    return serve.getCommandSpec();
  }

  private Path config(String yaml) throws Exception {
    Path file = dir.resolve("sluice.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  private static Object value(CommandSpec spec, String option) {
    return spec.findOption(option).getValue();
  }

  @Test
  void settingsComeFromTheFileThenTheEnvironmentThenTheCommandLine() throws Exception {
    Path file =
        config(
            """
            port: 9001
            host: 0.0.0.0
            log-origin: example.com/sluice
            poll-interval: 10m
            tuf-expiry:
              timestamp: 6h
            """);

    CommandSpec fromFile = parse(Map.of(), "--config", file.toString());
    assertThat(value(fromFile, "--port")).isEqualTo(9001);
    assertThat(value(fromFile, "--host")).isEqualTo("0.0.0.0");
    assertThat(value(fromFile, "--log-origin")).isEqualTo("example.com/sluice");
    assertThat(value(fromFile, "--tuf-expiry")).isEqualTo(Map.of("timestamp", "6h"));

    CommandSpec envWins = parse(Map.of("SLUICE_PORT", "9002", "SLUICE_CONFIG", file.toString()));
    assertThat(value(envWins, "--port")).isEqualTo(9002);
    assertThat(value(envWins, "--host")).isEqualTo("0.0.0.0");

    CommandSpec commandLineWins =
        parse(Map.of("SLUICE_PORT", "9002"), "--config", file.toString(), "--port", "9003");
    assertThat(value(commandLineWins, "--port")).isEqualTo(9003);
  }

  @Test
  void withoutAnySettingTheBuiltInDefaultsHold() {
    CommandSpec spec = parse(Map.of());
    assertThat(value(spec, "--port")).isEqualTo(8080);
    assertThat(value(spec, "--host")).isEqualTo("127.0.0.1");
  }

  @Test
  void flagsAreBooleansInTheFileAndTheEnvironment() throws Exception {
    Path file = config("ddi-anonymous: true\n");
    assertThat(value(parse(Map.of(), "--config", file.toString()), "--ddi-anonymous"))
        .isEqualTo(true);
    assertThat(value(parse(Map.of("SLUICE_DDI_ANONYMOUS", "false")), "--ddi-anonymous"))
        .isEqualTo(false);
    assertThatThrownBy(() -> parse(Map.of("SLUICE_DDI_ANONYMOUS", "maybe")))
        .hasMessageContaining("SLUICE_DDI_ANONYMOUS is true or false");
  }

  @Test
  void anUnknownKeyIsRefusedWithTheKnownOnes() throws Exception {
    Path file = config("prot: 9001\n");
    assertThatThrownBy(() -> parse(Map.of(), "--config", file.toString()))
        .isInstanceOf(ServeSettings.SettingsException.class)
        .hasMessageContaining("unknown setting 'prot'")
        .hasMessageContaining("port");
  }

  @Test
  void aDuplicateKeyOrBadYamlOrAMissingFileIsRefused() throws Exception {
    Path duplicate = config("port: 1\nport: 2\n");
    assertThatThrownBy(() -> parse(Map.of(), "--config", duplicate.toString()))
        .hasMessageContaining("not valid YAML")
        .hasMessageContaining("port");
    Path list = config("- port\n");
    assertThatThrownBy(() -> parse(Map.of(), "--config", list.toString()))
        .hasMessageContaining("mapping");
    assertThatThrownBy(() -> parse(Map.of(), "--config", dir.resolve("nope.yaml").toString()))
        .isInstanceOf(ServeSettings.MissingConfigFileException.class)
        .hasMessageContaining("no such file")
        .hasMessageContaining("nope.yaml");
  }

  @Test
  void aBadSettingEndsServeWithAUsageErrorBeforeAnythingStarts() throws Exception {
    Path file = config("port: [1, 2]\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Terminal terminal = new Terminal(new ByteArrayOutputStream(), err);

    int code =
        Main.execute(
            terminal,
            Map.of(),
            "serve",
            "--config",
            file.toString(),
            "--data",
            dir.resolve("data").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("sluice serve: ")
        .contains("'port' takes a single value");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void serveHelpMentionsTheConfigurationFile() {
    Cli.Result result = Cli.run("serve", "--help");
    assertThat(result.out()).contains("--config=FILE").contains("SLUICE_<OPTION>");
  }

  @Test
  void environmentNamesFollowTheOptionNames() {
    assertThat(ServeSettings.environmentName("poll-interval")).isEqualTo("SLUICE_POLL_INTERVAL");
  }
}
