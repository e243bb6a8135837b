package dev.sluice.cli.admin;

import dev.sluice.cli.client.Certifier;
import dev.sluice.cli.client.Pager;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.JsonOption;
import dev.sluice.cli.command.PageOptions;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import dev.sluice.core.policy.KeyChange;
import dev.sluice.core.product.CertifierId;
import dev.sluice.trust.key.KeyFiles;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice certifier}: the labs and authorities that sign off releases. */
@Command(
    name = "certifier",
    description = "Register, update and inspect certifiers and their public keys.",
    subcommands = {
      CertifierCommand.Add.class,
      CertifierCommand.ListCertifiers.class,
      CertifierCommand.Show.class,
      CertifierCommand.AddKey.class,
      CertifierCommand.RevokeKey.class,
      CertifierCommand.Update.class
    })
public final class CertifierCommand {

  /** {@code sluice certifier add}. */
  @Command(name = "add", description = "Register a certifier with one or more public keys (admin).")
  static final class Add extends ApiCommand {
    @Option(names = "--id", required = true, paramLabel = "ID", description = "e.g. lab-a")
    private String id;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Display name.")
    private String name;

    @Option(
        names = "--key",
        required = true,
        arity = "1..*",
        paramLabel = "PUBFILE",
        description = "Public key file(s) from 'sluice keys generate' (FILE.pub).")
    @InputFile
    private List<Path> keys;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      List<VerificationKey> publicKeys = keys.stream().map(KeyFiles::readPublic).toList();
      print(terminal, client.createCertifier(id, name, publicKeys), json.requested());
      return ExitCodes.OK;
    }
  }

  /** {@code sluice certifier list}. */
  @Command(
      name = "list",
      description = {
        "List the certifiers, in id order: every one, read page by page.",
        "With --limit N it stops after N and standard error says how to read on (--after)."
      })
  static final class ListCertifiers extends ApiCommand {
    @Mixin private PageOptions pages;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Pager.Read<Certifier, String> read = pages.read(client::certifiers);
      List<Certifier> certifiers = read.items();
      if (json.requested()) {
        Output.jsonArray(terminal.out(), certifiers.stream().map(c -> c.json()));
        pages.more(terminal, "certifiers", read);
        return ExitCodes.OK;
      }
      Output.table(
          terminal.out(),
          List.of("ID", "NAME", "KEYS", "CREATED"),
          certifiers.stream()
              .map(
                  c ->
                      List.of(
                          c.id(), c.displayName(), String.valueOf(c.keys().size()), c.createdAt()))
              .toList());
      pages.more(terminal, "certifiers", read);
      return ExitCodes.OK;
    }
  }

  /** {@code sluice certifier update}. */
  @Command(
      name = "update",
      description = {
        "Change a certifier's display name (admin).",
        "Its keys change only by endorsed key changes: add-key, revoke-key."
      })
  static final class Update extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The certifier to change.")
    private String id;

    @Option(
        names = "--display-name",
        required = true,
        paramLabel = "NAME",
        description = "The name shown for the certifier, e.g. \"Lab One GmbH\".")
    private String displayName;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      print(terminal, client.updateCertifier(id, displayName), json.requested());
      return ExitCodes.OK;
    }
  }

  /** {@code sluice certifier show}. */
  @Command(name = "show", description = "Show a certifier and its key ids.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The certifier id, e.g. lab-a.")
    private String id;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      print(terminal, client.certifier(id), json.requested());
      return ExitCodes.OK;
    }
  }

  /** {@code sluice certifier add-key}. */
  @Command(
      name = "add-key",
      description = {
        "Add a public key to a certifier, endorsed by one of its current keys.",
        "The key change is signed here with --endorse-key; the private key is never sent.",
        "An admin or the certifier's own token submits it."
      })
  static final class AddKey extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The certifier id, e.g. lab-a.")
    private String id;

    @Option(
        names = "--key",
        required = true,
        paramLabel = "NEW.pub",
        description = "The new public key.")
    @InputFile
    private Path key;

    @Option(
        names = "--endorse-key",
        required = true,
        paramLabel = "CURRENT.key",
        description = "A current private key of the certifier, to sign the key change.")
    @InputFile
    private Path endorseKey;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      VerificationKey added = KeyFiles.readPublic(key);
      SigningKey signer = KeyFiles.readPrivate(endorseKey);
      Certifier before = client.certifier(id);
      KeyChange change =
          new KeyChange(new CertifierId(id), KeyChange.Action.ADD, added, before.version() + 1);
      terminal
          .err()
          .println(
              "endorsing: add key "
                  + added.keyId()
                  + " to certifier "
                  + id
                  + " (key-set version "
                  + change.version()
                  + "), signed with key "
                  + signer.keyId());
      print(
          terminal,
          client.addCertifierKey(id, added, signer.keyId(), signer.sign(change.canonicalBytes())),
          json.requested());
      return ExitCodes.OK;
    }
  }

  /** {@code sluice certifier revoke-key}. */
  @Command(
      name = "revoke-key",
      description = {
        "Revoke one of a certifier's keys, endorsed by one of its current keys (the revoked key",
        "itself may sign). The key change is signed here; the private key is never sent."
      })
  static final class RevokeKey extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The certifier id, e.g. lab-a.")
    private String id;

    @Option(
        names = "--key-id",
        required = true,
        paramLabel = "K",
        description = "The key id to revoke.")
    private String keyId;

    @Option(
        names = "--endorse-key",
        required = true,
        paramLabel = "KEY.key",
        description = "A current private key of the certifier, to sign the key change.")
    @InputFile
    private Path endorseKey;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      SigningKey signer = KeyFiles.readPrivate(endorseKey);
      Certifier before = client.certifier(id);
      VerificationKey revoked =
          before
              .publicKey(keyId)
              .orElseThrow(
                  () ->
                      new CommandFailedException(
                          "certifier " + id + " has no current key " + keyId));
      KeyChange change =
          new KeyChange(
              new CertifierId(id), KeyChange.Action.REVOKE, revoked, before.version() + 1);
      terminal
          .err()
          .println(
              "endorsing: revoke key "
                  + keyId
                  + " of certifier "
                  + id
                  + " (key-set version "
                  + change.version()
                  + "), signed with key "
                  + signer.keyId());
      print(
          terminal,
          client.revokeCertifierKey(
              id, keyId, signer.keyId(), signer.sign(change.canonicalBytes())),
          json.requested());
      return ExitCodes.OK;
    }
  }

  private static void print(Terminal terminal, Certifier certifier, boolean json) {
    PrintWriter out = terminal.out();
    if (json) {
      Output.json(out, certifier.json());
      return;
    }
    out.println("certifier  " + certifier.id());
    out.println("name       " + certifier.displayName());
    out.println("created    " + certifier.createdAt());
    out.println("version    " + certifier.version());
    out.println("keys");
    for (Certifier.Key k : certifier.keys()) {
      out.println("  " + k.keyId() + "  " + k.keytype() + "/" + k.scheme());
    }
  }
}
