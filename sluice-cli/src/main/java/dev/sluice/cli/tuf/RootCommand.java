package dev.sluice.cli.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.client.ApiException;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.AtomicFiles;
import dev.sluice.cli.output.Output;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.key.KeyFiles;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.RepositoryBuilder.RoleKeySet;
import dev.sluice.trust.tuf.SignatureTally;
import dev.sluice.trust.tuf.TufLayout;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.Root;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice tuf root}: the offline, M-of-N root. Either in one process holding every private
 * key ({@code init}, {@code rotate}), or across key holders' machines: {@code draft} (from public
 * keys), {@code sign} on each holder's machine (no server), {@code status-of}, and {@code submit}.
 */
@Command(
    name = "root",
    description = "Create, rotate, draft, sign and submit the offline root.",
    subcommands = {
      RootCommand.Init.class,
      RootCommand.Rotate.class,
      RootCommand.Draft.class,
      RootCommand.Sign.class,
      RootCommand.StatusOf.class,
      RootCommand.Submit.class
    })
final class RootCommand {

  /** {@code sluice tuf root init}: draft, sign with every key, submit. */
  @Command(
      name = "init",
      description = {
        "Build root metadata version 1 listing every --key (threshold M) and the server's online",
        "keys, sign it with every --key here, and upload it (admin). Key holders on separate",
        "machines use draft, sign and submit instead."
      })
  static final class Init extends ApiCommand {
    @Option(
        names = "--key",
        required = true,
        arity = "1..*",
        paramLabel = "ROOTKEY",
        description = "The root key files that sign the first root (all of them sign).")
    @InputFile
    private List<Path> keys;

    @Option(
        names = "--threshold",
        required = true,
        paramLabel = "M",
        description = "How many root keys must sign a root.")
    private int threshold;

    @Option(
        names = "--expires-days",
        defaultValue = "365",
        paramLabel = "DAYS",
        description = "How long the root stays valid (default: ${DEFAULT-VALUE} days).")
    private int expiresDays;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      List<SigningKey> rootKeys = privateKeys(keys);
      List<VerificationKey> publics = rootKeys.stream().map(SigningKey::verificationKey).toList();
      Metadata<Root> draft = draft(client, 1, publics, threshold, expiresDays);
      Metadata<Root> signed = signAll(draft, rootKeys, Optional.empty());
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

  /** {@code sluice tuf root rotate}: draft N+1, sign with old and new keys, submit. */
  @Command(
      name = "rotate",
      description = {
        "Build root version N+1 listing every --new-key (threshold M), signed by the current",
        "root's threshold (--old-key) and the new one (--new-key), and upload it (admin)."
      })
  static final class Rotate extends ApiCommand {
    @Option(
        names = "--old-key",
        required = true,
        arity = "1..*",
        paramLabel = "KEY",
        description = "Key files of the current root that sign the rotation.")
    @InputFile
    private List<Path> oldKeys;

    @Option(
        names = "--new-key",
        required = true,
        arity = "1..*",
        paramLabel = "KEY",
        description = "Key files of the new root (they sign it too).")
    @InputFile
    private List<Path> newKeys;

    @Option(
        names = "--threshold",
        required = true,
        paramLabel = "M",
        description = "How many root keys must sign a root.")
    private int threshold;

    @Option(
        names = "--expires-days",
        defaultValue = "365",
        paramLabel = "DAYS",
        description = "How long the root stays valid (default: ${DEFAULT-VALUE} days).")
    private int expiresDays;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Root trusted = currentRoot(client).signed();
      List<SigningKey> newRootKeys = privateKeys(newKeys);
      Metadata<Root> draft =
          draft(
              client,
              trusted.version() + 1,
              newRootKeys.stream().map(SigningKey::verificationKey).toList(),
              threshold,
              expiresDays);
      List<SigningKey> all = new java.util.ArrayList<>(privateKeys(oldKeys));
      all.addAll(newRootKeys);
      Metadata<Root> signed = signAll(draft, all, Optional.of(trusted));
      JsonNode answer = client.uploadRoot(signed.toBytes());
      terminal.out().println("installed root version " + answer.path("version").asLong());
      return ExitCodes.OK;
    }
  }

  /** {@code sluice tuf root draft}: the next root, unsigned, from public keys. */
  @Command(
      name = "draft",
      description = {
        "Write the next root (version 1, or current+1 with --rotate) listing every --root-key",
        "(public key files; threshold M) and the server's online keys, with no signatures, for",
        "the key holders to sign one by one with 'sluice tuf root sign' (admin)."
      })
  static final class Draft extends ApiCommand {
    @Option(
        names = "--root-key",
        required = true,
        arity = "1..*",
        paramLabel = "KEYFILE",
        description = "Public key files (FILE.pub from 'sluice keys generate'), or key files.")
    @InputFile
    private List<Path> rootKeys;

    @Option(
        names = "--threshold",
        required = true,
        paramLabel = "M",
        description = "How many root keys must sign a root.")
    private int threshold;

    @Option(
        names = "--expires-days",
        defaultValue = "365",
        paramLabel = "DAYS",
        description = "How long the root stays valid (default: ${DEFAULT-VALUE} days).")
    private int expiresDays;

    @Option(names = "--rotate", description = "Draft the current root's successor.")
    private boolean rotate;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "FILE",
        description = "Where to write the unsigned root draft.")
    private Path out;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    private boolean force;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      if (!force && Files.exists(out)) {
        throw new CommandFailedException(out + " exists; pass --force to replace it");
      }
      List<VerificationKey> publics = publicKeys(rootKeys);
      Optional<Root> trusted =
          rotate ? Optional.of(currentRoot(client).signed()) : Optional.empty();
      long version = trusted.map(t -> t.version() + 1).orElse(1L);
      Metadata<Root> draft = draft(client, version, publics, threshold, expiresDays);
      AtomicFiles.write(out, draft.toBytes());
      PrintWriter o = terminal.out();
      o.println("wrote the unsigned draft " + out);
      RootSigning.describe(o, draft.signed());
      o.println("signatures needed:");
      RootSigning.printTallies(o, draft, trusted);
      trusted.ifPresent(
          t ->
              o.println(
                  "holders of the current root's keys sign with --trusted-root "
                      + TufLayout.rootFile(t.version())
                      + " (from "
                      + client.server()
                      + "/tuf/"
                      + TufLayout.rootFile(t.version())
                      + ")"));
      return ExitCodes.OK;
    }
  }

  /** {@code sluice tuf root sign}: one holder's signature, offline. */
  @Command(
      name = "sign",
      description = {
        "Sign a root draft with one private key, on the key holder's machine (no server): the key",
        "must be a root key of the draft or, for a rotation, of --trusted-root. Prints what is",
        "signed and replaces FILE atomically; signing again with the same key changes nothing."
      })
  static final class Sign implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The root draft.")
    @InputFile
    private Path file;

    @Option(
        names = "--key",
        required = true,
        paramLabel = "KEYFILE",
        description = "The root key file to sign with (stays on this machine).")
    @InputFile
    private Path key;

    @Option(
        names = "--trusted-root",
        paramLabel = "ROOTFILE",
        description = "For a rotation: the current root (N.root.json) whose keys may also sign.")
    @InputFile
    private Path trustedRoot;

    @Override
    public Integer call() {
      PrintWriter out = Terminal.of(spec).out();
      Metadata<Root> draft = RootSigning.read(file);
      Optional<Root> trusted = Optional.ofNullable(trustedRoot).map(RootSigning::trusted);
      SigningKey signer = privateKeys(List.of(key)).getFirst();
      Metadata<Root> signed = RootSigning.sign(draft, signer, trusted, Clock.systemUTC().instant());
      RootSigning.describe(out, draft.signed());
      if (!signed.equals(draft)) {
        AtomicFiles.write(file, signed.toBytes());
      }
      out.println("signed with key " + signer.keyId() + "; " + file + " now has:");
      RootSigning.printTallies(out, signed, trusted);
      return ExitCodes.OK;
    }
  }

  /** {@code sluice tuf root status-of}: signatures collected vs needed, offline. */
  @Command(
      name = "status-of",
      description = {
        "Show which root keys have signed FILE and how many are still needed (no server).",
        "Exit 0 when every threshold is met, 1 otherwise."
      })
  static final class StatusOf implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "FILE",
        description = "The root file (draft or partly signed).")
    @InputFile
    private Path file;

    @Option(
        names = "--trusted-root",
        paramLabel = "ROOTFILE",
        description = "The root now trusted, whose keys must also sign a rotation.")
    @InputFile
    private Path trustedRoot;

    @Override
    public Integer call() {
      PrintWriter out = Terminal.of(spec).out();
      Metadata<Root> draft = RootSigning.read(file);
      Optional<Root> trusted = Optional.ofNullable(trustedRoot).map(RootSigning::trusted);
      RootSigning.describe(out, draft.signed());
      RootSigning.printTallies(out, draft, trusted);
      boolean met = RootSigning.tallies(draft, trusted).stream().allMatch(SignatureTally::met);
      if (draft.signed().version() > 1 && trusted.isEmpty()) {
        out.println("  (a rotation also needs the current root's threshold: pass --trusted-root)");
      }
      return met ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  /** {@code sluice tuf root submit}: upload a signed root. */
  @Command(
      name = "submit",
      description = {
        "Upload a root signed by its key holders (admin). If the server refuses it, shows which",
        "thresholds are short and which keys have signed."
      })
  static final class Submit extends ApiCommand {
    @Parameters(
        index = "0",
        paramLabel = "FILE",
        description = "The root file (draft or partly signed).")
    @InputFile
    private Path file;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Metadata<Root> root = RootSigning.read(file);
      try {
        JsonNode answer = client.uploadRoot(root.toBytes());
        terminal
            .out()
            .println(
                "installed root version "
                    + answer.path("version").asLong()
                    + ", expires "
                    + answer.path("expires").asText());
        return ExitCodes.OK;
      } catch (ApiException e) {
        if (e.status() != 400) {
          throw e;
        }
        Output.problem(terminal.err(), e);
        Optional<Root> trusted = Optional.empty();
        long version = root.signed().version();
        if (version > 1) {
          try {
            trusted =
                Optional.of(
                    Metadata.parse(client.tufFile(TufLayout.rootFile(version - 1)), Root.class)
                        .signed());
          } catch (ApiException | TrustException notThere) {
            // No such current root on the server: its message above says what is wrong.
          }
        }
        terminal.err().println("signatures on " + file + ":");
        RootSigning.printTallies(terminal.err(), root, trusted);
        return ExitCodes.FAILURE;
      }
    }
  }

  /** The current root as the server serves it. */
  static Metadata<Root> currentRoot(SluiceClient client) {
    long current = client.tufStatus().path("roles").path(0).path("version").asLong();
    return Metadata.parse(client.tufFile(TufLayout.rootFile(current)), Root.class);
  }

  /** The next root's {@code signed}, with no signatures. */
  static Metadata<Root> draft(
      SluiceClient client, long version, List<VerificationKey> rootKeys, int threshold, int days) {
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
      return Metadata.unsigned(
          builder.root(
              version,
              new RoleKeySet(rootKeys, threshold),
              online(online, "targets"),
              online(online, "snapshot"),
              online(online, "timestamp")));
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(e.getMessage());
    }
  }

  /** Signs with each key and checks every threshold is met before anything is uploaded. */
  private static Metadata<Root> signAll(
      Metadata<Root> draft, List<SigningKey> keys, Optional<Root> trusted) {
    java.time.Instant now = Clock.systemUTC().instant();
    Metadata<Root> signed = draft;
    for (SigningKey key : keys) {
      signed = RootSigning.sign(signed, key, trusted, now);
    }
    for (SignatureTally tally : RootSigning.tallies(signed, trusted)) {
      if (!tally.met()) {
        throw new CommandFailedException("cannot sign the root: " + tally.describe());
      }
    }
    return signed;
  }

  private static RoleKeySet online(JsonNode keys, String role) {
    return new RoleKeySet(List.of(VerificationKey.fromTufJson(keys.path(role).path("key"))), 1);
  }

  static List<SigningKey> privateKeys(List<Path> files) {
    try {
      return files.stream().map(KeyFiles::readPrivate).toList();
    } catch (TrustException e) {
      throw new CommandFailedException(e.getMessage());
    }
  }

  static List<VerificationKey> publicKeys(List<Path> files) {
    try {
      return files.stream().map(KeyFiles::readPublic).toList();
    } catch (TrustException e) {
      throw new CommandFailedException(e.getMessage());
    }
  }
}
