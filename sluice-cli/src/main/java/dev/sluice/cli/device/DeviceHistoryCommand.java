package dev.sluice.cli.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice device history}: what the device reported about its actions, in its own words (e.g.
 * SWUpdate's "SW not compatible with hardware"), with what the server recorded.
 */
@Command(
    name = "history",
    description = "Show what a device reported about its newest actions (feedback history).")
final class DeviceHistoryCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The device's controller id.")
  private String device;

  @Option(
      names = "--action",
      paramLabel = "ACTION",
      description = "Only this action (default: the newest actions).")
  private Long action;

  @Option(
      names = "--actions",
      paramLabel = "N",
      defaultValue = "1",
      description = "How many of the newest actions to show (default: ${DEFAULT-VALUE}).")
  private int count;

  @Mixin private JsonOption json;

  @Override
  protected int run(SluiceClient client, Terminal terminal) {
    if (count < 1 || count > 100) {
      throw new ParameterException(spec().commandLine(), "--actions is 1 to 100");
    }
    List<Long> ids = new ArrayList<>();
    if (action != null) {
      ids.add(action);
    } else {
      for (JsonNode a : client.deviceActions(device).path("actions")) {
        if (ids.size() < count) {
          ids.add(a.path("id").asLong());
        }
      }
    }
    ArrayNode all = JsonNodeFactory.instance.arrayNode();
    for (long id : ids) {
      all.add(client.actionFeedback(device, id));
    }
    if (json.requested()) {
      Output.json(terminal.out(), all);
      return ExitCodes.OK;
    }
    if (ids.isEmpty()) {
      terminal.out().println("device " + device + " has no actions");
      return ExitCodes.OK;
    }
    for (JsonNode history : all) {
      terminal.out().println("action " + history.path("action").asText() + ":");
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode f : history.path("feedback")) {
        rows.add(
            List.of(
                f.path("at").asText(),
                f.path("source").asText(),
                f.path("execution").asText() + "/" + f.path("result").asText(),
                details(f)));
      }
      Output.table(terminal.out(), List.of("AT", "FROM", "STATUS", "DETAILS"), rows);
    }
    return ExitCodes.OK;
  }

  /** The device's details lines (from its DDI body), or the body as stored. */
  private static String details(JsonNode f) {
    String body = f.path("body").asText();
    try {
      JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
      if (node instanceof ObjectNode o) {
        JsonNode d = o.path("status").path("details");
        if (!d.isArray()) {
          d = o.path("details");
        }
        if (d.isArray()) {
          List<String> lines = new ArrayList<>();
          d.forEach(x -> lines.add(x.asText()));
          return oneLine(String.join(" | ", lines));
        }
      }
    } catch (java.io.IOException e) {
      // Cut when stored, or a server note: shown as it is.
    }
    return oneLine(body);
  }

  private static String oneLine(String text) {
    String flat = text.replaceAll("\\p{Cntrl}", " ").strip();
    return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
  }
}
