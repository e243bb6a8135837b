package dev.sluice.cli.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.ApiCommand;
import dev.sluice.cli.ExitCodes;
import dev.sluice.cli.Terminal;
import dev.sluice.cli.client.SluiceClient;
import picocli.CommandLine.Command;

/**
 * {@code sluice tuf}: the TUF repository's offline root. Root metadata is built and signed on the
 * key holders' machine, with the server's online keys fetched from it, and only then uploaded; the
 * root's private keys never reach the server.
 */
@Command(
    name = "tuf",
    description = "Set up and inspect the TUF repository (offline root keys).",
    subcommands = {RootCommand.class, TufCommand.Status.class})
public final class TufCommand {

  /** {@code sluice tuf status}. */
  @Command(name = "status", description = "Show every role's version, expiry, keys, threshold.")
  static final class Status extends ApiCommand {
    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      for (JsonNode role : client.tufStatus().path("roles")) {
        terminal
            .out()
            .printf(
                "%-12s v%-5d expires %s  %d of %s%n",
                role.path("role").asText(),
                role.path("version").asLong(),
                role.path("expires").asText(),
                role.path("threshold").asInt(),
                role.path("keyids"));
      }
      return ExitCodes.OK;
    }
  }
}
