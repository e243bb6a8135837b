package dev.sluice.cli.fleet;

import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.Terminal;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code sluice fleet register}: registers a simulated fleet and keeps its tokens in a file. */
@Command(
    name = "register",
    description = {
      "Register N devices of a product in bulk (ids PREFIX000000, PREFIX000001, ...) and write",
      "their target tokens to FILE (controller_id,target_token lines, mode 0600), for a later",
      "'sluice fleet simulate --token-file FILE' or a load generator."
    })
public final class RegisterCommand extends ApiCommand {
  @Option(names = "--devices", required = true, paramLabel = "N", description = "How many devices.")
  private int devices;

  @Option(
      names = "--product",
      required = true,
      paramLabel = "P",
      description = "The devices' product.")
  private String product;

  @Option(
      names = "--token-file",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the tokens.")
  private Path tokenFile;

  @Option(
      names = "--id-prefix",
      paramLabel = "PREFIX",
      defaultValue = "sim-",
      description = "Controller id prefix (default: ${DEFAULT-VALUE}).")
  private String idPrefix;

  @Override
  protected int run(SluiceClient client, Terminal terminal) {
    if (devices < 1) {
      throw new ParameterException(
          spec().commandLine(), "--devices must be 1 or more, got " + devices);
    }
    try {
      FleetRegistration.controllerId(idPrefix, devices - 1);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec().commandLine(), "--id-prefix: " + e.getMessage());
    }
    List<SimulatedDevice> registered =
        FleetRegistration.register(client, product, idPrefix, devices, done -> {});
    DeviceTokens.write(tokenFile, registered);
    terminal.out().println("registered " + registered.size() + " devices; tokens in " + tokenFile);
    return ExitCodes.OK;
  }
}
