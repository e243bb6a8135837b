package dev.sluice.cli.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.Terminal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice tuf}: the TUF repository's offline keys. Root metadata is built from the server's
 * online keys and signed on the key holders' machines, and only then uploaded; products' roles may
 * be signed offline too ({@code product-key}, {@code pending}, {@code sign-pending}). Private keys
 * never reach the server.
 */
@Command(
    name = "tuf",
    description = "Set up and inspect the TUF repository (offline root and product keys).",
    subcommands = {
      RootCommand.class,
      TufCommand.Status.class,
      ProductKeyCommand.class,
      PendingCommands.Pending.class,
      PendingCommands.SignPending.class
    })
public final class TufCommand {

  /** {@code sluice tuf status}. */
  @Command(
      name = "status",
      description = {
        "Show every role's version, expiry, keys, threshold and whether it is signed offline;",
        "warn when metadata signed offline (which the server cannot re-sign) expires soon."
      })
  static final class Status extends ApiCommand {
    @Option(
        names = "--warn-days",
        defaultValue = "30",
        paramLabel = "DAYS",
        description = "Warn when offline metadata expires within DAYS (default ${DEFAULT-VALUE}).")
    private int warnDays;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Instant now = Clock.systemUTC().instant();
      List<String> warnings = new ArrayList<>();
      JsonNode status = client.tufStatus();
      for (JsonNode corrupted : status.path("corrupted_blobs")) {
        warnings.add(
            "ERROR: blob "
                + corrupted.asText()
                + " failed SHA-256 verification and is not served; run sluice fsck and restore it"
                + " from a backup");
      }
      for (JsonNode role : status.path("roles")) {
        String name = role.path("role").asText();
        boolean offline = role.path("signing").asText().equals("offline");
        terminal
            .out()
            .printf(
                "%-12s v%-5d expires %s  %-7s %d of %s%s%n",
                name,
                role.path("version").asLong(),
                role.path("expires").asText(),
                offline ? "offline" : "online",
                role.path("threshold").asInt(),
                role.path("keyids"),
                role.has("pending_version")
                    ? "  (v" + role.path("pending_version").asLong() + " awaits a signature)"
                    : "");
        Instant expires = Instant.parse(role.path("expires").asText());
        if (offline && expires.isBefore(now.plus(Duration.ofDays(warnDays)))) {
          warnings.add(
              "WARNING: "
                  + name
                  + " is signed offline and expires "
                  + expires
                  + (expires.isBefore(now)
                      ? " (EXPIRED)"
                      : " (in " + Duration.between(now, expires).toDays() + " days)")
                  + "; its key holders must sign a new version"
                  + (name.equals("root")
                      ? " (sluice tuf root draft --rotate)"
                      : " (sluice tuf product-key set "
                          + name
                          + " --public-key ..., then"
                          + " sign-pending)"));
        }
      }
      warnings.forEach(terminal.out()::println);
      return ExitCodes.OK;
    }
  }
}
