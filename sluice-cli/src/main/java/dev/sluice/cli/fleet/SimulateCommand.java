package dev.sluice.cli.fleet;

import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.JsonOption;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code sluice fleet simulate}: many simulated DDI devices against a server. */
@Command(
    name = "simulate",
    description = {
      "Simulate N devices speaking hawkBit DDI to the server: each polls, downloads and verifies"
          + " offered releases, reports progress, installs (or fails, for the share given by"
          + " --failure-rate or --fail-version), reboots and confirms the new version.",
      "Devices are registered in bulk (--register, with an admin or operator token), read from"
          + " --token-file, or spoken for by a device-gateway token (--gateway-token).",
      "A live line on standard error shows polls/s, poll latency and actions; a summary follows"
          + " at the end (Ctrl-C ends the run early and still prints it)."
    })
public final class SimulateCommand extends ApiCommand {
  @Option(
      names = "--devices",
      required = true,
      paramLabel = "N",
      description = "How many devices to simulate.")
  private int devices;

  @Option(
      names = "--product",
      paramLabel = "P",
      description = "The devices' product (needed with --register).")
  private String product;

  @Option(
      names = "--failure-rate",
      paramLabel = "F",
      defaultValue = "0",
      description =
          "Share of devices, 0 to 1, whose installations fail (default: ${DEFAULT-VALUE}).")
  private double failureRate;

  @Option(
      names = "--fail-version",
      paramLabel = "VERSION=F",
      description =
          "Installations of this version fail on a share F (0 to 1) of the devices instead of"
              + " --failure-rate, e.g. 14.1.0=0.75 (repeatable).")
  private Map<String, Double> versionFailureRates = new LinkedHashMap<>();

  @Option(
      names = "--poll",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Poll this often (e.g. 3s, 500ms) instead of what the server asks for.")
  private Duration poll;

  @Option(
      names = "--tenant",
      paramLabel = "T",
      defaultValue = "DEFAULT",
      description = "The DDI tenant (default: ${DEFAULT-VALUE}).")
  private String tenant;

  @Option(
      names = "--register",
      description =
          "Register the devices first (ids PREFIX000000...), printing their tokens to"
              + " --token-file if given.")
  private boolean register;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "controller_id,target_token lines: read the devices from it, or with"
              + " --register, write them to it (mode 0600).")
  private Path tokenFile;

  @Option(
      names = "--gateway-token",
      paramLabel = "TOKEN",
      defaultValue = "${env:SLUICE_GATEWAY_TOKEN}",
      description =
          "Devices PREFIX000000... speak through this device-gateway token of their"
              + " product (env SLUICE_GATEWAY_TOKEN); the server registers unknown ones on first poll.")
  private String gatewayToken;

  @Option(
      names = "--id-prefix",
      paramLabel = "PREFIX",
      defaultValue = "sim-",
      description = "Controller id prefix of registered devices (default: ${DEFAULT-VALUE}).")
  private String idPrefix;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Stop after this long (e.g. 60s, 10m); default: until Ctrl-C.")
  private Duration duration;

  @Option(
      names = "--until-done",
      description = "Stop once every device has finished an action and none is in progress.")
  private boolean untilDone;

  @Option(
      names = "--concurrency",
      paramLabel = "C",
      defaultValue = "64",
      description =
          "At most C requests (and connections) in flight: C workers run the devices that are"
              + " due (default: ${DEFAULT-VALUE}).")
  private int concurrency;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "Seeds which devices fail and the poll jitter (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Mixin private JsonOption json;

  @Override
  protected int run(SluiceClient client, Terminal terminal) {
    FleetSettings settings = settings(client);
    if (gatewayToken != null && (register || tokenFile != null)) {
      throw usage(
          "--gateway-token speaks for the devices; it goes without --register and --token-file");
    }
    if (register && product == null) {
      throw usage("--register needs --product (the devices' product)");
    }
    if (!register && tokenFile == null && gatewayToken == null) {
      throw usage(
          "give --register (with --product) to register the devices, --token-file with"
              + " devices registered before, or --gateway-token");
    }
    client.health(); // fails clearly if no server answers
    List<SimulatedDevice> fleet = devices(client, terminal.err());
    FleetSummary summary;
    try (FleetSimulator simulator = new FleetSimulator(settings, fleet)) {
      summary =
          InteractiveRun.run(
              simulator,
              terminal.err(),
              done -> {
                if (json.requested()) {
                  Output.json(terminal.out(), done.json());
                } else {
                  terminal.out().print(done.text());
                }
                terminal.flush();
              });
    }
    if (summary.totals().polls() == 0 && summary.totals().errors() > 0) {
      terminal.err().println("sluice: no device could poll the server");
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }

  private FleetSettings settings(SluiceClient client) {
    if (devices < 1) {
      throw usage("--devices must be 1 or more, got " + devices);
    }
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw usage("--failure-rate is a share from 0 to 1 (e.g. 0.05), got " + failureRate);
    }
    try {
      return FleetSettings.builder(client.server())
          .tenant(tenant)
          .failureRate(failureRate)
          .versionFailureRates(versionFailureRates)
          .pollOverride(Optional.ofNullable(poll))
          .duration(Optional.ofNullable(duration))
          .untilDone(untilDone)
          .concurrency(concurrency)
          .seed(seed)
          .build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private List<SimulatedDevice> devices(SluiceClient client, PrintWriter err) {
    if (tokenFile != null && !register) {
      return DeviceTokens.read(tokenFile, devices);
    }
    try {
      FleetRegistration.controllerId(idPrefix, devices - 1);
    } catch (IllegalArgumentException e) {
      throw usage("--id-prefix: " + e.getMessage());
    }
    if (gatewayToken != null) {
      List<SimulatedDevice> fleet = new ArrayList<>(devices);
      for (int i = 0; i < devices; i++) {
        try {
          fleet.add(
              SimulatedDevice.viaGateway(
                  i, FleetRegistration.controllerId(idPrefix, i), gatewayToken.strip()));
        } catch (IllegalArgumentException e) {
          throw usage("--gateway-token: " + e.getMessage());
        }
      }
      return fleet;
    }
    List<SimulatedDevice> registered =
        FleetRegistration.register(
            client,
            product,
            idPrefix,
            devices,
            done -> {
              if (InteractiveRun.stderrIsTerminal()) {
                err.print("\rregistered " + done + " of " + devices + " devices");
                err.flush();
              }
            });
    if (InteractiveRun.stderrIsTerminal()) {
      err.println();
    }
    if (tokenFile != null) {
      DeviceTokens.write(tokenFile, registered);
    }
    return registered;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec().commandLine(), message);
  }
}
