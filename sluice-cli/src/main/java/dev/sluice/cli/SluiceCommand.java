package dev.sluice.cli;

import dev.sluice.cli.admin.CertifierCommand;
import dev.sluice.cli.admin.ProductCommand;
import dev.sluice.cli.admin.TokenCommand;
import dev.sluice.cli.admin.WhoamiCommand;
import dev.sluice.cli.agent.AgentCommand;
import dev.sluice.cli.audit.AuditCommand;
import dev.sluice.cli.command.RootCommand;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.demo.DemoCommand;
import dev.sluice.cli.device.DeviceCommand;
import dev.sluice.cli.fleet.FleetCommand;
import dev.sluice.cli.keys.KeysCommand;
import dev.sluice.cli.log.LogCommand;
import dev.sluice.cli.release.CertifyCommand;
import dev.sluice.cli.release.ReleaseCommand;
import dev.sluice.cli.rollout.RolloutCommand;
import dev.sluice.cli.serve.ServeCommand;
import dev.sluice.cli.tuf.TufCommand;
import dev.sluice.cli.verify.VerifyCommand;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code sluice} command itself: only a list of subcommands. */
@Command(
    name = "sluice",
    versionProvider = SluiceCommand.Version.class,
    description = "Trustworthy over-the-air OS updates: checked, certified, logged.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the server refused, no server answered, an I/O operation failed, or log verify found a mismatch",
      "2:the command line was wrong",
      "3:the release is blocked by a standard (release check)",
      "4:a file or directory named on the command line does not exist"
    })
public final class SluiceCommand implements RootCommand {
  /**
   * The subcommands, in the order {@code sluice --help} lists them. Added by {@link Main} rather
   * than named in {@code @Command}, so that {@code sluice serve} can build the model of its own
   * command only (picocli reads every subcommand's annotations when it builds the tree).
   */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          ServeCommand.class,
          DemoCommand.class,
          KeysCommand.class,
          WhoamiCommand.class,
          TokenCommand.class,
          CertifierCommand.class,
          ProductCommand.class,
          ReleaseCommand.class,
          RolloutCommand.class,
          CertifyCommand.class,
          DeviceCommand.class,
          AuditCommand.class,
          LogCommand.class,
          TufCommand.class,
          FleetCommand.class,
          VerifyCommand.class,
          AgentCommand.class,
          dev.sluice.cli.data.DataCommands.Fsck.class,
          dev.sluice.cli.data.DataCommands.Gc.class,
          dev.sluice.cli.data.DataCommands.BackupCommand.class,
          CompletionCommand.class,
          HelpSubcommand.class);

  /**
   * The subcommand named {@code name} when it runs without the others in the command line's model,
   * so that {@code sluice release ...} reflects over one command tree, not all of them (half or
   * more of the 0.2-0.3 s of a core the whole model takes, at every start). {@code help} and {@code
   * completion} describe the whole tree, and a name that is no subcommand's is left to the full
   * model, which suggests the nearest.
   */
  static java.util.Optional<Class<?>> standalone(String name) {
    for (Class<?> subcommand : SUBCOMMANDS) {
      if (subcommand == HelpSubcommand.class || subcommand == CompletionCommand.class) {
        continue;
      }
      picocli.CommandLine.Command command =
          subcommand.getAnnotation(picocli.CommandLine.Command.class);
      if (command != null
          && (command.name().equals(name) || List.of(command.aliases()).contains(name))) {
        return java.util.Optional.of(subcommand);
      }
    }
    return java.util.Optional.empty();
  }

  private final Terminal terminal;

  // --help on every subcommand at any depth; --version only here (release create has its own).
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      scope = ScopeType.INHERIT,
      description = "Show this help message and exit.")
  private boolean help;

  @Option(
      names = {"-V", "--version"},
      versionHelp = true,
      description = "Print version information and exit.")
  private boolean version;

  public SluiceCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Terminal terminal() {
    return terminal;
  }

  @Override
  public CommandLine newCommandLine(Terminal terminal) {
    return Main.commandLine(terminal);
  }

  /** The version from the jar manifest, if the build recorded one. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = SluiceCommand.class.getPackage().getImplementationVersion();
      return new String[] {"sluice " + (version == null ? "(development build)" : version)};
    }
  }
}
