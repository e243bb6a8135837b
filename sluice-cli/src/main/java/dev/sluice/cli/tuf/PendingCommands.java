package dev.sluice.cli.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.client.ApiException;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.tuf.TufLayout;
import dev.sluice.trust.tuf.model.DelegatedRole;
import dev.sluice.trust.tuf.model.Delegations;
import dev.sluice.trust.tuf.model.MetaFile;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Snapshot;
import dev.sluice.trust.tuf.model.TargetFile;
import dev.sluice.trust.tuf.model.Targets;
import dev.sluice.trust.tuf.model.Timestamp;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Role metadata waiting for an offline key holder's signature. */
final class PendingCommands {
  private PendingCommands() {}

  /** {@code sluice tuf pending}. */
  @Command(
      name = "pending",
      description = "List role metadata waiting for an offline signature (admin, release-manager).")
  static final class Pending extends ApiCommand {
    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode p : client.tufPending().path("pending")) {
        rows.add(
            List.of(
                p.path("role").asText(),
                Long.toString(p.path("version").asLong()),
                Integer.toString(p.path("targets").asInt()),
                p.path("expires").asText(),
                p.path("signed_sha256").asText()));
      }
      if (rows.isEmpty()) {
        terminal.out().println("nothing waits for a signature");
      } else {
        Output.table(
            terminal.out(), List.of("ROLE", "VERSION", "TARGETS", "EXPIRES", "SHA256"), rows);
      }
      return ExitCodes.OK;
    }
  }

  /** {@code sluice tuf sign-pending}. */
  @Command(
      name = "sign-pending",
      description = {
        "Fetch PRODUCT's pending role metadata, show the targets it adds and removes, sign it",
        "here with the product's offline --key and upload only the signature; the server then",
        "publishes it and completes the releases that waited (admin, release-manager)."
      })
  static final class SignPending extends ApiCommand {
    @Parameters(index = "0", paramLabel = "PRODUCT", description = "The product name.")
    private String product;

    @Option(
        names = "--key",
        required = true,
        paramLabel = "KEYFILE",
        description = "The product's offline targets key file (stays on this machine).")
    @InputFile
    private Path keyFile;

    @Option(names = "--dry-run", description = "Show what would be signed; sign nothing.")
    private boolean dryRun;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      SigningKey key = RootCommand.privateKeys(List.of(keyFile)).getFirst();
      JsonNode registered = client.productKey(product);
      if (!registered.path("signing").asText().equals("offline")) {
        throw new CommandFailedException(product + "'s role is signed online; nothing to sign");
      }
      String expected = registered.path("key_id").asText();
      if (!expected.equals(key.keyId())) {
        throw new CommandFailedException(
            product
                + "'s offline key is "
                + expected
                + ", not "
                + key.keyId()
                + " ("
                + keyFile
                + ")");
      }
      Metadata<Targets> pending = parse(client.tufPendingFile(product), "the pending metadata");
      Targets next = pending.signed();
      Map<String, TargetFile> current = current(client, next.version());
      PrintWriter out = terminal.out();
      out.println("signing " + next.version() + "." + product + ".json, expires " + next.expires());
      printDiff(out, current, next.targets());
      if (dryRun) {
        return ExitCodes.OK;
      }
      byte[] signed = pending.signedBytes();
      JsonNode answer;
      try {
        answer =
            client.submitPendingSignature(
                product,
                key.keyId(),
                HexFormat.of().formatHex(key.sign(signed)),
                Sha256.of(signed));
      } catch (ApiException e) {
        if (e.conflict().filter("stale_metadata"::equals).isPresent()) {
          Output.problem(terminal.err(), e);
          terminal.err().println("sluice: run sign-pending again to sign the new version");
          return ExitCodes.FAILURE;
        }
        throw e;
      }
      out.println(
          "published "
              + answer.path("version").asLong()
              + "."
              + product
              + ".json; completed "
              + answer.path("completed"));
      return ExitCodes.OK;
    }

    private Map<String, TargetFile> current(SluiceClient client, long nextVersion) {
      if (nextVersion <= 1) {
        return Map.of();
      }
      String file = TufLayout.metadataFile(product, nextVersion - 1, true);
      Targets previous = parse(client.tufFile(file), file).signed();
      Map<String, TargetFile> targets = new TreeMap<>(previous.targets());
      List<DelegatedRole> bins = previous.delegations().map(Delegations::roles).orElse(List.of());
      if (!bins.isEmpty()) {
        // Signed online, the role listed its targets in hashed bins: compare with what they list.
        Snapshot snapshot = currentSnapshot(client);
        for (DelegatedRole bin : bins) {
          MetaFile meta = snapshot.roleMeta(bin.name()).orElse(null);
          if (meta != null) {
            String binFile = TufLayout.metadataFile(bin.name(), meta.version(), true);
            targets.putAll(parse(client.tufFile(binFile), binFile).signed().targets());
          }
        }
      }
      return targets;
    }

    private static Snapshot currentSnapshot(SluiceClient client) {
      try {
        long version =
            Metadata.parse(client.tufFile(TufLayout.TIMESTAMP_JSON), Timestamp.class)
                .signed()
                .snapshotMeta()
                .version();
        String file = TufLayout.metadataFile("snapshot", version, true);
        return Metadata.parse(client.tufFile(file), Snapshot.class).signed();
      } catch (TrustException e) {
        throw new CommandFailedException(
            "the server's snapshot is not TUF metadata: " + e.getMessage());
      }
    }
  }

  static void printDiff(PrintWriter out, Map<String, TargetFile> from, Map<String, TargetFile> to) {
    TreeSet<String> paths = new TreeSet<>(from.keySet());
    paths.addAll(to.keySet());
    int changes = 0;
    for (String path : paths) {
      TargetFile before = from.get(path);
      TargetFile after = to.get(path);
      if (before == null) {
        out.println(
            "  + " + path + "  " + after.length() + " bytes  sha256 " + after.sha256().hex());
      } else if (after == null) {
        out.println("  - " + path);
      } else if (!before.equals(after)) {
        out.println("  ~ " + path + "  sha256 " + after.sha256().hex());
      } else {
        continue;
      }
      changes++;
    }
    if (changes == 0) {
      out.println("  (the same targets, re-signed with a new expiry)");
    }
  }

  private static Metadata<Targets> parse(byte[] bytes, String what) {
    try {
      return Metadata.parse(bytes, Targets.class);
    } catch (TrustException e) {
      throw new CommandFailedException(what + " is not TUF targets metadata: " + e.getMessage());
    }
  }
}
