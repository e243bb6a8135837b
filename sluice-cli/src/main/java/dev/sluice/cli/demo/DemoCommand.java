package dev.sluice.cli.demo;

import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.RootCommand;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.serve.ShutdownSignal;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.ddi.DdiConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice demo}: starts an embedded server on a fresh data directory and tells the release
 * pipeline's story with real {@code sluice} commands, then keeps serving so the reader can explore.
 */
@Command(
    name = "demo",
    description = {
      "Start an embedded server on a fresh data directory and walk through the release pipeline:",
      "a release that breaks a standard is BLOCKED with its report; one that passes is CERTIFIED",
      "after two of three independent labs sign it and is published. 1,000 simulated phones",
      "then take it in a 4-stage rollout, and a second, failing release halts itself in its",
      "first stage. Then keep serving until Ctrl-C."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "A new or empty data directory (default: ./sluice-demo/<date-time>).")
  private Path dataDir;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "Port to listen on (default: ${DEFAULT-VALUE}; if it is taken, any free port).")
  private int port;

  @Option(
      names = "--allow-in-tree",
      description = {
        "Keep the default data directory in ./sluice-demo even inside a Sluice source tree",
        "(otherwise it goes to $XDG_DATA_HOME/sluice/demo: its admin token and private keys",
        "would sit next to the code, one commit away)."
      })
  private boolean allowInTree;

  @Option(
      names = "--exit",
      description = "Stop after the story instead of serving (for scripts and tests).")
  private boolean exitAfterStory;

  @Override
  public Integer call() throws Exception {
    Terminal terminal = Terminal.of(spec);
    PrintWriter out = terminal.out();
    // The story prints each step itself; the server's audit lines would repeat it in between.
    dev.sluice.cli.serve.LogSettings.quietAuditLines();
    Path dir = freshDirectory();
    try (ShutdownSignal signal = ShutdownSignal.install();
        SluiceServer server = start(dir, terminal)) {
      String adminToken =
          server
              .bootstrapAdminToken()
              .orElseThrow(() -> new CommandFailedException("the demo needs a fresh server"));
      out.println("Sluice demo: an embedded server at " + server.baseUri());
      out.println("Its data (SQLite database, artifact store, keys, example files): " + dir);
      DemoSession session = new DemoSession(RootCommand.of(spec), server.baseUri(), dir);
      DemoStory story = new DemoStory(session, dir, adminToken);
      DemoStory.Outcome outcome = story.run();
      RolloutChapter.Outcome rollouts =
          new RolloutChapter(session, dir, adminToken).run(story, outcome.certifiedRelease());
      AgentChapter.Outcome agent =
          new AgentChapter(session, dir, adminToken)
              .run(story, outcome.certifiedRelease(), outcome.logVerifierKey());
      out.println();
      out.println(
          "── Done. Release "
              + outcome.blockedRelease()
              + " is BLOCKED; release "
              + outcome.certifiedRelease()
              + " is CERTIFIED and PUBLISHED.");
      out.println(
          "   Rollout "
              + rollouts.finishedRollout()
              + " took it to "
              + String.format(java.util.Locale.ROOT, "%,d", RolloutChapter.DEVICES)
              + " phones and FINISHED stage by stage; rollout "
              + rollouts.haltedRollout()
              + " of the bad release "
              + rollouts.badRelease()
              + " HALTED itself in its first stage.");
      out.println(
          "   The agent on "
              + AgentChapter.PHONE
              + " verified every link of "
              + agent.installed()
              + " before installing it; the revoked "
              + agent.withdrawn()
              + " was withdrawn from it, its action cancelled with the logged reason.");
      out.println();
      out.println("Verify it yourself:");
      out.println("  TUF trusted root for devices:  " + server.baseUri() + "/tuf/1.root.json");
      out.println("  transparency log verifier key: " + outcome.logVerifierKey());
      out.println(
          "  audit the log:  ./sluice log verify --server "
              + server.baseUri()
              + " --key "
              + outcome.logVerifierKey()
              + " --state my-log.state");
      out.println(
          "  verify the release, link by link:  curl -so root.json "
              + server.baseUri()
              + "/tuf/1.root.json && ./sluice verify --server "
              + server.baseUri()
              + " --root root.json --log-key "
              + outcome.logVerifierKey()
              + " "
              + outcome.certifiedRelease());
      if (exitAfterStory) {
        return ExitCodes.OK;
      }
      out.println();
      out.println("Sluice keeps serving at " + server.baseUri() + " until you press Ctrl-C.");
      out.println(
          "  portal: " + server.baseUri() + "/   console: " + server.baseUri() + "/console");
      out.println("Explore it with the same commands (in another terminal):");
      out.println("  export SLUICE_SERVER=" + server.baseUri());
      out.println("  export SLUICE_TOKEN=$(cat " + dir.resolve("admin.token") + ")");
      out.println("  ./sluice release list");
      out.println("  ./sluice release show " + outcome.blockedRelease());
      out.println("  ./sluice release statement " + outcome.certifiedRelease());
      out.println("  ./sluice rollout show " + rollouts.haltedRollout());
      out.println("  curl -s " + server.baseUri() + "/api/v1/openapi.json | head");
      out.println("admin token: " + adminToken);
      out.flush();
      signal.await();
    }
    return ExitCodes.OK;
  }

  private SluiceServer start(Path dir, Terminal terminal) {
    try {
      return SluiceServer.start(config(dir, port));
    } catch (RuntimeException e) {
      if (port == 0 || !isAddressInUse(e)) {
        throw e;
      }
      terminal.err().println("port " + port + " is taken; using any free port instead");
      return SluiceServer.start(config(dir, 0));
    }
  }

  /**
   * The demo server: devices are told to poll every second and rollouts are evaluated every second,
   * so that a thousand phones go through four stages in seconds rather than hours.
   */
  private static ServerConfig config(Path dir, int port) {
    return ServerConfig.builder(dir)
        .port(port)
        .environment(System.getenv())
        .ddi(DdiConfig.builder().polling(RolloutChapter.POLL, Duration.ZERO).build())
        .rolloutInterval(RolloutChapter.EVALUATE)
        .build();
  }

  /**
   * The Sluice source tree (a git work tree holding the {@code sluice} launcher) that {@code dir}
   * would be inside, if any.
   */
  static Optional<Path> sourceTreeOf(Path dir) {
    for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(".git")) && Files.isRegularFile(p.resolve("sluice"))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Where the demo keeps its data when no {@code --data} is given: {@code ./sluice-demo/STAMP},
   * unless the working directory is inside a Sluice source tree, whose admin token and private keys
   * would then sit next to the code one commit away. There it uses the user's data directory
   * ({@code $XDG_DATA_HOME/sluice/demo/STAMP}, by default {@code ~/.local/share/…}) instead, unless
   * {@code allowInTree} asks for the local one.
   */
  static Path defaultDirectory(
      Path workingDirectory,
      java.util.Map<String, String> environment,
      String home,
      String stamp,
      boolean allowInTree) {
    Path local = workingDirectory.resolve("sluice-demo").resolve(stamp);
    if (allowInTree || sourceTreeOf(local).isEmpty()) {
      return local;
    }
    String xdg = environment.get("XDG_DATA_HOME");
    Path base =
        xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
            ? Path.of(xdg)
            : Path.of(home, ".local", "share");
    return base.resolve("sluice").resolve("demo").resolve(stamp);
  }

  private static boolean isAddressInUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
  }

  private Path freshDirectory() throws IOException {
    Path dir =
        dataDir != null
            ? dataDir
            : defaultDirectory(
                Path.of("").toAbsolutePath(),
                System.getenv(),
                System.getProperty("user.home"),
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")),
                allowInTree);
    if (Files.exists(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new CommandFailedException(
              "the demo needs a fresh data directory, but " + dir + " is not empty");
        }
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    return Files.createDirectories(dir).toAbsolutePath();
  }
}
