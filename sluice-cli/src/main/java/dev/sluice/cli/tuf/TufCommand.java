package dev.sluice.cli.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.ApiCommand;
import dev.sluice.cli.CommandFailedException;
import dev.sluice.cli.ExitCodes;
import dev.sluice.cli.Terminal;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.key.KeyFiles;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.RepositoryBuilder.RoleKeySet;
import dev.sluice.trust.tuf.TufLayout;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Root;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice tuf}: the TUF repository's offline root. Root metadata is built and signed on the
 * key holders' machine, with the server's online keys fetched from it, and only then uploaded; the
 * root's private keys never reach the server.
 */
@Command(
    name = "tuf",
    description = "Set up and inspect the TUF repository (offline root keys).",
    subcommands = {TufCommand.RootCommand.class, TufCommand.Status.class})
public final class TufCommand {

  /** {@code sluice tuf root}. */
  @Command(
      name = "root",
      description = "Create or rotate the offline root.",
      subcommands = {TufCommand.Init.class, TufCommand.Rotate.class})
  static final class RootCommand {}

  /** {@code sluice tuf root init}. */
  @Command(
      name = "init",
      description = {
        "Build root metadata version 1 listing every --key (threshold M) and the server's online",
        "keys, sign it with every --key here, and upload it (admin)."
      })
  static final class Init extends ApiCommand {
    @Option(names = "--key", required = true, arity = "1..*", paramLabel = "ROOTKEY")
    private List<Path> keys;

    @Option(names = "--threshold", required = true, paramLabel = "M")
    private int threshold;

    @Option(names = "--expires-days", defaultValue = "365", paramLabel = "DAYS")
    private int expiresDays;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      List<SigningKey> rootKeys = read(keys);
      Root root = build(client, 1, rootKeys, threshold, expiresDays);
      Metadata<Root> signed = sign(() -> RepositoryBuilder.signRoot(root, rootKeys));
      JsonNode answer = client.uploadRoot(signed.toBytes());
      terminal
          .out()
          .println(
              "installed root version "
                  + answer.path("version").asLong()
                  + " ("
                  + threshold
                  + " of "
                  + rootKeys.size()
                  + " keys), expires "
                  + answer.path("expires").asText());
      return ExitCodes.OK;
    }
  }

  /** {@code sluice tuf root rotate}. */
  @Command(
      name = "rotate",
      description = {
        "Build root version N+1 listing every --new-key (threshold M), signed by the current",
        "root's threshold (--old-key) and the new one (--new-key), and upload it (admin)."
      })
  static final class Rotate extends ApiCommand {
    @Option(names = "--old-key", required = true, arity = "1..*", paramLabel = "KEY")
    private List<Path> oldKeys;

    @Option(names = "--new-key", required = true, arity = "1..*", paramLabel = "KEY")
    private List<Path> newKeys;

    @Option(names = "--threshold", required = true, paramLabel = "M")
    private int threshold;

    @Option(names = "--expires-days", defaultValue = "365", paramLabel = "DAYS")
    private int expiresDays;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      long current = client.tufStatus().path("roles").path(0).path("version").asLong();
      Root trusted =
          Metadata.parse(client.tufFile(TufLayout.rootFile(current)), Root.class).signed();
      List<SigningKey> newRootKeys = read(newKeys);
      Root next = build(client, current + 1, newRootKeys, threshold, expiresDays);
      Metadata<Root> signed =
          sign(() -> RepositoryBuilder.rotateRoot(trusted, next, read(oldKeys), newRootKeys));
      JsonNode answer = client.uploadRoot(signed.toBytes());
      terminal.out().println("installed root version " + answer.path("version").asLong());
      return ExitCodes.OK;
    }
  }

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

  private static Root build(
      SluiceClient client, long version, List<SigningKey> rootKeys, int threshold, int days) {
    if (days < 1) {
      throw new CommandFailedException("--expires-days must be at least 1");
    }
    JsonNode online = client.tufKeys();
    RepositoryBuilder builder =
        new RepositoryBuilder(
            Clock.systemUTC(),
            new RepositoryBuilder.Expiry(
                Duration.ofDays(days), Duration.ofDays(1), Duration.ofDays(1), Duration.ofDays(1)));
    try {
      return builder.root(
          version,
          RoleKeySet.of(threshold, rootKeys),
          online(online, "targets"),
          online(online, "snapshot"),
          online(online, "timestamp"));
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(e.getMessage());
    }
  }

  private static RoleKeySet online(JsonNode keys, String role) {
    return new RoleKeySet(List.of(VerificationKey.fromTufJson(keys.path(role).path("key"))), 1);
  }

  private static List<SigningKey> read(List<Path> files) {
    try {
      return files.stream().map(KeyFiles::readPrivate).toList();
    } catch (TrustException e) {
      throw new CommandFailedException(e.getMessage());
    }
  }

  private static Metadata<Root> sign(java.util.function.Supplier<Metadata<Root>> signing) {
    try {
      return signing.get();
    } catch (TrustException | IllegalArgumentException e) {
      throw new CommandFailedException("cannot sign the root: " + e.getMessage());
    }
  }
}
