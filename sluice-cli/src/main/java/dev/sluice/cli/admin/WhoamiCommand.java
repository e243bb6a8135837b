package dev.sluice.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.JsonOption;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice whoami}: who the token speaks for. */
@Command(name = "whoami", description = "Show the identity and role of the API token.")
public final class WhoamiCommand extends ApiCommand {
  @Mixin private JsonOption json;

  @Override
  protected int run(SluiceClient client, Terminal terminal) {
    JsonNode me = client.whoami();
    if (json.requested()) {
      Output.json(terminal.out(), me);
    } else {
      String certifier = me.path("certifier").asText("");
      terminal
          .out()
          .println(
              me.path("name").asText("?")
                  + " ("
                  + me.path("role").asText("?")
                  + (certifier.isBlank() ? "" : ", certifier " + certifier)
                  + ") at "
                  + client.server());
    }
    return ExitCodes.OK;
  }
}
