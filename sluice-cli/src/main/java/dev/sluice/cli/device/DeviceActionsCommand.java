package dev.sluice.cli.device;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.JsonOption;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sluice device actions}. */
@Command(name = "actions", description = "List a device's actions, newest first.")
final class DeviceActionsCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The device's controller id.")
  private String device;

  @Mixin private JsonOption json;

  @Override
  protected int run(SluiceClient client, Terminal terminal) {
    JsonNode actions = client.deviceActions(device);
    if (json.requested()) {
      Output.json(terminal.out(), actions);
      return ExitCodes.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode a : actions.path("actions")) {
      rows.add(
          List.of(
              a.path("id").asText(),
              a.path("release_id").asText(),
              a.path("type").asText(),
              a.path("status").asText(),
              a.path("updated_at").asText(),
              a.path("last_message").asText("")));
    }
    Output.table(
        terminal.out(), List.of("ID", "RELEASE", "TYPE", "STATUS", "UPDATED", "MESSAGE"), rows);
    return ExitCodes.OK;
  }
}
