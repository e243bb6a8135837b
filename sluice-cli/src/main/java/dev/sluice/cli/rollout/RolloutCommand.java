package dev.sluice.cli.rollout;

import dev.sluice.api.rollout.RolloutRequest;
import dev.sluice.api.rollout.StageView;
import dev.sluice.cli.client.Pager;
import dev.sluice.cli.client.Rollout;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.JsonOption;
import dev.sluice.cli.command.ListFilterOptions;
import dev.sluice.cli.command.PageOptions;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.fleet.DurationConverter;
import dev.sluice.cli.output.Output;
import dev.sluice.cli.output.Progress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code sluice rollout}: staged rollouts of published releases. */
@Command(
    name = "rollout",
    description = "Roll a published release out to devices in stages; watch, gate, halt.",
    subcommands = {
      RolloutCommand.Create.class,
      RolloutCommand.Start.class,
      RolloutCommand.Pause.class,
      RolloutCommand.Resume.class,
      RolloutCommand.Approve.class,
      RolloutCommand.Cancel.class,
      RolloutCommand.Show.class,
      RolloutCommand.Wait.class,
      RolloutCommand.ListRollouts.class,
      RolloutCommand.Delete.class
    })
public final class RolloutCommand {

  /** {@code sluice rollout create}. */
  @Command(
      name = "create",
      description = {
        "Create a rollout of a PUBLISHED release (admin, operator); prints its id.",
        "Then 'sluice rollout start ID'. See docs/rollouts.md."
      })
  static final class Create extends ApiCommand {
    @Option(
        names = "--release",
        required = true,
        paramLabel = "ID",
        description = "The PUBLISHED release to roll out (rel_...).")
    private String release;

    @Option(
        names = "--filter",
        paramLabel = "FILTER",
        description = "Device filter, e.g. 'tag==eu' (default: every device of the product).")
    private String filter = "";

    @Option(
        names = "--stages",
        split = ",",
        paramLabel = "P",
        description =
            "Cumulative percentages, strictly increasing, ending at 100 (e.g. 1,10,50,100).")
    private List<Integer> stages = List.of();

    @Option(
        names = "--groups",
        paramLabel = "FILTER",
        description = "An explicit stage group (a device filter); repeat for each stage.")
    private List<String> groups = List.of();

    @Option(
        names = "--success-threshold",
        paramLabel = "PCT",
        description = "% of a stage's devices that must succeed before the next (default 95).")
    private Integer successThreshold;

    @Option(
        names = "--error-threshold",
        paramLabel = "PCT",
        description = "% of a stage's devices whose failure halts the rollout (default 5).")
    private Integer errorThreshold;

    @Option(
        names = "--gate",
        paramLabel = "GATE",
        description =
            "Before each stage after the first: manual (sluice rollout approve) or webhook=URL.")
    private String gate;

    @Option(
        names = "--type",
        paramLabel = "TYPE",
        description = "forced (default), soft, timeforced or downloadonly.")
    private String type;

    @Option(
        names = "--forced-at",
        paramLabel = "INSTANT",
        description = "timeforced: when actions become forced.")
    private String forcedAt;

    @Option(names = "--start-at", paramLabel = "INSTANT", description = "e.g. 2026-12-01T02:00:00Z")
    private String startAt;

    @Option(
        names = "--window",
        paramLabel = "CRON;DURATION;ZONE",
        description = "Maintenance window, e.g. '0 2 * * *;2h;Europe/Berlin'.")
    private String window;

    @Option(
        names = "--accept-ddi-success",
        description =
            "Count a plain DDI closed/success as success (default: the device must run the new version after reboot).")
    private boolean acceptDdiSuccess;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        description = "In-progress timeout: a device silent this long fails (default 24h).")
    private String timeout;

    @Option(
        names = "--retries",
        paramLabel = "N",
        description = "Retries after a failure (default 0).")
    private Integer retries;

    @Option(
        names = "--dynamic",
        description = "Devices registered later that match join the running stage.")
    private boolean dynamic;

    @Option(
        names = "--sequential-test",
        description = "Halt by Wald's sequential test against the product's baseline failure rate.")
    private boolean sequentialTest;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      if (stages.isEmpty() == groups.isEmpty()) {
        throw new ParameterException(
            spec().commandLine(), "give --stages (percentages) or --groups, one of the two");
      }
      Rollout created = client.createRollout(request());
      if (json.requested()) {
        Output.json(terminal.out(), created.json());
      } else {
        terminal
            .err()
            .println(
                "created rollout "
                    + created.id()
                    + " ("
                    + created.stageCount()
                    + " stages); start it"
                    + " with: sluice rollout start "
                    + created.id());
        terminal.out().println(created.id());
      }
      return ExitCodes.OK;
    }

    private RolloutRequest request() {
      RolloutRequest.Window w = null;
      if (window != null) {
        String[] parts = window.split(";", -1);
        if (parts.length != 3) {
          throw new ParameterException(
              spec().commandLine(), "--window is 'CRON;DURATION;ZONE', e.g. '0 2 * * *;2h;UTC'");
        }
        w = new RolloutRequest.Window(parts[0].strip(), parts[1].strip(), parts[2].strip());
      }
      if (retries != null && retries < 0) {
        throw new ParameterException(spec().commandLine(), "--retries is 0 or more");
      }
      return new RolloutRequest(
          release,
          filter,
          stages.isEmpty() ? null : stages.stream().map(RolloutRequest.Stage::percent).toList(),
          stages.isEmpty() ? groups : null,
          successThreshold,
          errorThreshold,
          gate,
          type,
          forcedAt,
          startAt,
          w,
          acceptDdiSuccess ? "ddi-success" : "running-version",
          timeout,
          retries == null ? null : new RolloutRequest.Retry(retries + 1, null),
          dynamic,
          RolloutRequest.SequentialTest.of(sequentialTest),
          null);
    }
  }

  /** The shared shape of start, pause, resume, approve. */
  abstract static class Transition extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The rollout id.")
    private String id;

    abstract String action();

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Rollout r = client.rolloutAction(id, action(), Optional.empty());
      terminal.out().println(RolloutText.headline(r));
      return ExitCodes.OK;
    }
  }

  @Command(name = "start", description = "Start a created rollout (admin, operator).")
  static final class Start extends Transition {
    @Override
    String action() {
      return "start";
    }
  }

  @Command(
      name = "pause",
      description = "Pause: no new assignments; open actions continue and thresholds still halt.")
  static final class Pause extends Transition {
    @Override
    String action() {
      return "pause";
    }
  }

  @Command(name = "resume", description = "Resume a paused rollout.")
  static final class Resume extends Transition {
    @Override
    String action() {
      return "resume";
    }
  }

  @Command(
      name = "approve",
      description = "Approve the gate a rollout waits at: the next stage starts.")
  static final class Approve extends Transition {
    @Override
    String action() {
      return "approve";
    }
  }

  /** {@code sluice rollout cancel}. */
  @Command(name = "cancel", description = "Cancel a rollout; its open actions are cancelled.")
  static final class Cancel extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The rollout id.")
    private String id;

    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        description = "Why, for the audit trail and the devices' history.")
    private String reason;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Rollout r = client.rolloutAction(id, "cancel", Optional.ofNullable(reason));
      terminal.out().println(RolloutText.headline(r));
      return ExitCodes.OK;
    }
  }

  /** {@code sluice rollout delete}. */
  @Command(
      name = "delete",
      description = {
        "Delete a finished, canceled or halted rollout (admin, operator).",
        "The devices' actions and their history stay."
      })
  static final class Delete extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "A rollout that is over.")
    private String id;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      client.deleteRollout(id);
      terminal.out().println("deleted rollout " + id);
      return ExitCodes.OK;
    }
  }

  /** {@code sluice rollout show}. */
  @Command(name = "show", description = "A rollout: its stages with counters, and why it halted.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The rollout id.")
    private String id;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Rollout r = client.rollout(id);
      if (json.requested()) {
        Output.json(terminal.out(), r.json());
      } else {
        RolloutText.show(terminal.out(), r);
      }
      return ExitCodes.OK;
    }
  }

  /** {@code sluice rollout wait}. */
  @Command(
      name = "wait",
      description = {
        "Wait until a rollout is over; on a terminal, a bar shows the devices done of those"
            + " offered so far, the rate and the time left.",
        "Exit 0 when it finished; 1 when it halted or was canceled, or still runs after --timeout."
      })
  static final class Wait extends ApiCommand {
    private static final Set<String> OVER = Set.of("finished", "halted", "canceled");

    @Parameters(paramLabel = "ID", description = "The rollout id.")
    private String id;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        defaultValue = "1h",
        converter = DurationConverter.class,
        description = "Give up after this long, e.g. 30m or 6h (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(
        names = "--every",
        paramLabel = "DURATION",
        defaultValue = "2s",
        converter = DurationConverter.class,
        description = "How often to ask the server (default: ${DEFAULT-VALUE}).")
    private Duration every;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      if (every.isZero() || timeout.isZero()) {
        throw new ParameterException(
            spec().commandLine(), "--every and --timeout must be longer than zero");
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      Rollout r;
      try (Progress bar =
          Progress.ofCount(terminal.err(), "rollout " + id, "devices", terminal.errIsTerminal())) {
        r = client.rollout(id);
        while (!OVER.contains(r.state())) {
          bar.set(done(r), offered(r));
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new CommandFailedException(
                RolloutText.headline(r)
                    + " after "
                    + RolloutText.human(timeout.toString())
                    + " of waiting; 'sluice rollout wait "
                    + id
                    + "' waits on");
          }
          sleep(Math.min(left, every.toNanos()));
          r = client.rollout(id);
        }
        bar.set(done(r), offered(r));
      }
      terminal.out().println(RolloutText.headline(r));
      if (r.state().equals("finished")) {
        return ExitCodes.OK;
      }
      terminal
          .err()
          .println("sluice: the rollout did not finish; 'sluice rollout show " + id + "' says why");
      return ExitCodes.FAILURE;
    }

    private static long offered(Rollout r) {
      return r.view().stages().stream().mapToLong(StageView::assigned).sum();
    }

    private static long done(Rollout r) {
      return r.view().stages().stream()
          .mapToLong(s -> s.succeeded() + s.failed() + s.canceled())
          .sum();
    }

    private static void sleep(long nanos) {
      try {
        Thread.sleep(Duration.ofNanos(nanos));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailedException("interrupted while waiting for the rollout", e);
      }
    }
  }

  /** {@code sluice rollout list}. */
  @Command(name = "list", description = "List rollouts, newest first (or as --sort says).")
  static final class ListRollouts extends ApiCommand {
    @Option(
        names = "--state",
        paramLabel = "STATE",
        description =
            "Only rollouts in this state (created, running, paused, halted, finished, canceled, ...).")
    private String state;

    @Mixin private PageOptions pages;

    @Mixin private ListFilterOptions filtered;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Pager.Read<Rollout, String> read =
          pages.read(
              (cursor, size) ->
                  client.rollouts(
                      Optional.ofNullable(state),
                      filtered.filter(),
                      filtered.sort(),
                      cursor,
                      size));
      if (json.requested()) {
        Output.jsonArray(terminal.out(), read.items().stream().map(r -> r.json()));
      } else {
        Output.table(
            terminal.out(),
            List.of("ID", "PRODUCT", "RELEASE", "STATE", "STAGE", "UPDATED"),
            read.items().stream()
                .map(
                    r ->
                        List.of(
                            r.id(),
                            r.product(),
                            r.release(),
                            Output.state(r.state()),
                            r.currentStage() + "/" + r.stageCount(),
                            r.json().path("updated_at").asText()))
                .toList());
      }
      pages.more(terminal, "rollouts", read);
      return ExitCodes.OK;
    }
  }
}
