package dev.sluice.cli.device;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.JsonOption;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice device assign}. */
@Command(
    name = "assign",
    description = {
      "Assign a published release to one device (admin, operator). An older open action of",
      "the device is cancelled. Prints the new action's id."
    })
final class DeviceAssignCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The device's controller id.")
  private String device;

  @Option(
      names = "--release",
      required = true,
      paramLabel = "RELEASE_ID",
      description = "A published release.")
  private String release;

  @Option(
      names = "--type",
      defaultValue = "forced",
      paramLabel = "TYPE",
      description = "forced, soft, timeforced or downloadonly (default: ${DEFAULT-VALUE}).")
  private String type;

  @Option(
      names = "--forced-at",
      paramLabel = "INSTANT",
      description = "For timeforced: when it becomes forced (ISO-8601, e.g. 2026-12-01T02:00:00Z).")
  private String forcedAt;

  @Option(
      names = "--confirmation",
      paramLabel = "POLICY",
      description =
          "running-version (default: the device must report the new version after reboot) or"
              + " ddi-success (a DDI closed/success suffices).")
  private String confirmation;

  @Mixin private JsonOption json;

  @Override
  protected int run(SluiceClient client, Terminal terminal) {
    JsonNode action =
        client.assign(
            device,
            release,
            type,
            Optional.ofNullable(forcedAt),
            Optional.ofNullable(confirmation));
    if (json.requested()) {
      Output.json(terminal.out(), action);
    } else {
      terminal.out().println(action.path("id").asText());
      terminal
          .err()
          .println(
              "assigned "
                  + release
                  + " to "
                  + device
                  + " ("
                  + action.path("type").asText()
                  + ", "
                  + action.path("confirmation").asText()
                  + ")");
    }
    return ExitCodes.OK;
  }
}
