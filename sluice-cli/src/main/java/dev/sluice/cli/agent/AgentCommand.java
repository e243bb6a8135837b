package dev.sluice.cli.agent;

import dev.sluice.agent.Agent;
import dev.sluice.agent.AgentConfig;
import dev.sluice.agent.AgentStateException;
import dev.sluice.agent.BootControl;
import dev.sluice.agent.ReleaseVersion;
import dev.sluice.agent.Slots;
import dev.sluice.agent.StateDir;
import dev.sluice.agent.UpdatePolicy;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.Terminal;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice agent}: the device agent that installs only what it verified (docs/agent.md). */
@Command(
    name = "agent",
    description = "The device agent: verify the whole chain, install into an A/B slot, confirm.",
    subcommands = {
      AgentCommand.Init.class,
      AgentCommand.Run.class,
      AgentCommand.Approve.class,
      AgentCommand.Confirm.class,
      AgentCommand.Status.class
    })
public final class AgentCommand {

  /** {@code sluice agent init}. */
  @Command(
      name = "init",
      description = "Create the agent's state directory: pinned TUF root, log key, identity.")
  static final class Init implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--server",
        required = true,
        paramLabel = "URL",
        description = "The Sluice server the device polls, e.g. https://updates.example.com.")
    URI server;

    @Option(
        names = "--root",
        required = true,
        paramLabel = "FILE",
        description = "The TUF root.json to pin, obtained out of band.")
    @InputFile
    Path root;

    @Option(
        names = "--log-key",
        required = true,
        paramLabel = "VKEY",
        description = "The log's verifier key (or a file holding it), obtained out of band.")
    String logKey;

    @Option(
        names = "--controller-id",
        required = true,
        paramLabel = "ID",
        description = "The device's DDI controller id, as registered.")
    String controllerId;

    @Option(
        names = "--token",
        required = true,
        paramLabel = "TOKEN",
        description = "The device's DDI target token (or @FILE to read it from a file).")
    String token;

    @Option(
        names = "--tenant",
        defaultValue = "DEFAULT",
        paramLabel = "TENANT",
        description = "The DDI tenant (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(
        names = "--product",
        paramLabel = "NAME",
        description = "The product this device runs (default: the first one installed).")
    String product;

    @Option(
        names = "--state",
        required = true,
        paramLabel = "DIR",
        description = "The agent's state directory (made by sluice agent init).")
    Path state;

    @Option(
        names = "--slots",
        paramLabel = "DIR",
        description = "Where slots a and b and boot-control.json live (default: DIR/slots).")
    Path slots;

    @Option(
        names = "--installer",
        paramLabel = "CMD",
        description = "Hands the verified image to CMD IMAGE SLOT (RAUC, SWUpdate, a script).")
    String installer;

    @Option(
        names = "--policy",
        defaultValue = "auto",
        paramLabel = "auto|ask|defer:N",
        description =
            "When to install: at once, after the owner approves, or deferred N days (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(
        names = "--health-cmd",
        paramLabel = "CMD",
        description = "Exit 0 confirms a freshly booted slot.")
    String healthCmd;

    @Option(
        names = "--max-boot-tries",
        defaultValue = "3",
        paramLabel = "N",
        description = "Boots of a new slot before falling back (default: ${DEFAULT-VALUE}).")
    int maxBootTries;

    @Option(
        names = "--image",
        paramLabel = "NAME",
        description = "The artifact that is the slot image, for releases with several.")
    String image;

    @Override
    public Integer call() throws IOException {
      Path stateDir = state.toAbsolutePath().normalize();
      AgentConfig config;
      try {
        config =
            new AgentConfig(
                server,
                tenant,
                controllerId,
                Optional.ofNullable(product),
                slots == null ? stateDir.resolve("slots") : slots.toAbsolutePath().normalize(),
                Optional.ofNullable(installer),
                UpdatePolicy.parse(policy),
                Optional.ofNullable(healthCmd),
                maxBootTries,
                Optional.ofNullable(image));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      if (!Files.isRegularFile(root)) {
        throw new ParameterException(spec.commandLine(), "--root " + root + " is not a file");
      }
      String vkey = readMaybeFile(logKey, false);
      String secret = readMaybeFile(token, true);
      StateDir created = StateDir.init(stateDir, config, Files.readAllBytes(root), vkey, secret);
      Terminal.of(spec).out().println("agent state initialised in " + created.path());
      return ExitCodes.OK;
    }

    private static String readMaybeFile(String value, boolean atOnly) throws IOException {
      if (value.startsWith("@")) {
        return Files.readString(Path.of(value.substring(1)), StandardCharsets.UTF_8).strip();
      }
      if (!atOnly && !value.contains("+") && Files.isRegularFile(Path.of(value))) {
        return Files.readString(Path.of(value), StandardCharsets.UTF_8).strip();
      }
      return value;
    }
  }

  /** {@code sluice agent run}. */
  @Command(
      name = "run",
      description = {
        "Boot (try or confirm a pending slot), then poll the server and install what verifies.",
        "Stops after installing (the next start is the reboot) or, with --once, after one poll.",
        "Exit 0, or 1 if an update was refused or the server could not be reached (--once)."
      })
  static final class Run implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--state",
        required = true,
        paramLabel = "DIR",
        description = "The agent's state directory (made by sluice agent init).")
    @InputFile
    Path state;

    @Option(names = "--once", description = "Poll once, then stop.")
    boolean once;

    @Option(
        names = "--interval",
        defaultValue = "60",
        paramLabel = "SECONDS",
        description = "Seconds between polls (default 60).")
    long interval;

    @Override
    public Integer call() throws InterruptedException {
      if (interval < 1 || interval > 86_400) {
        throw new ParameterException(spec.commandLine(), "--interval must be 1 to 86400");
      }
      PrintWriter out = Terminal.of(spec).out();
      boolean tracing = "1".equals(System.getenv("SLUICE_AGENT_TRACE"));
      Agent agent =
          Agent.create(
              StateDir.open(state),
              Clock.systemUTC(),
              line -> {
                out.println(line);
                out.flush();
              },
              point -> {
                if (tracing) {
                  out.println("@trace " + point);
                  out.flush();
                }
              });
      Agent.Outcome outcome = agent.run(once, Duration.ofSeconds(interval));
      return switch (outcome) {
        case FAILED, RETRY -> ExitCodes.FAILURE;
        default -> ExitCodes.OK;
      };
    }
  }

  /** {@code sluice agent approve}. */
  @Command(name = "approve", description = "Let the agent install VERSION (policy ask).")
  static final class Approve implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Parameters(paramLabel = "VERSION", description = "The version the device owner approves.")
    String version;

    @Option(
        names = "--state",
        required = true,
        paramLabel = "DIR",
        description = "The agent's state directory (made by sluice agent init).")
    @InputFile
    Path state;

    @Override
    public Integer call() {
      ReleaseVersion parsed;
      try {
        parsed = new ReleaseVersion(version);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      StateDir.open(state).approve(parsed);
      Terminal.of(spec)
          .out()
          .println("approved " + parsed + "; the agent installs it on its next poll");
      return ExitCodes.OK;
    }
  }

  /** {@code sluice agent confirm}. */
  @Command(
      name = "confirm",
      description = "Confirm that the freshly booted slot is healthy (it becomes the active one).")
  static final class Confirm implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--state",
        required = true,
        paramLabel = "DIR",
        description = "The agent's state directory (made by sluice agent init).")
    @InputFile
    Path state;

    @Override
    public Integer call() {
      StateDir dir = StateDir.open(state);
      BootControl control = new Slots(dir.config().slots()).read();
      if (!control.awaitingConfirmation()) {
        throw new AgentStateException("no freshly booted slot awaits confirmation");
      }
      dir.requestConfirm();
      Terminal.of(spec)
          .out()
          .println(
              "slot "
                  + control.running()
                  + " will be confirmed by the agent (now, or at its next start)");
      return ExitCodes.OK;
    }
  }

  /** {@code sluice agent status}. */
  @Command(name = "status", description = "Print the slots, the boot-control state and the job.")
  static final class Status implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--state",
        required = true,
        paramLabel = "DIR",
        description = "The agent's state directory (made by sluice agent init).")
    @InputFile
    Path state;

    @Override
    public Integer call() {
      StateDir dir = StateDir.open(state);
      BootControl control = new Slots(dir.config().slots()).read();
      PrintWriter out = Terminal.of(spec).out();
      out.println("running slot: " + control.running() + " (active " + control.active() + ")");
      for (String slot : new String[] {"a", "b"}) {
        out.println(
            "  slot "
                + slot
                + ": "
                + control
                    .slot(slot)
                    .map(i -> i.version() + " " + i.file() + " sha256 " + i.sha256().hex())
                    .orElse("(factory or empty)"));
      }
      control
          .pending()
          .ifPresent(
              p ->
                  out.println(
                      "pending: slot "
                          + p
                          + ", "
                          + control.triesLeft()
                          + " tries left"
                          + (control.awaitingConfirmation()
                              ? ", booted, awaiting confirmation"
                              : "")));
      control.highestVersion().ifPresent(v -> out.println("highest version installed: " + v));
      dir.job()
          .ifPresent(
              j ->
                  out.println(
                      "job: action "
                          + j.actionId()
                          + " "
                          + j.target().tufPath()
                          + " "
                          + j.phase()));
      return ExitCodes.OK;
    }
  }
}
