package dev.sluice.cli.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sluice.cli.ApiCommand;
import dev.sluice.cli.ExitCodes;
import dev.sluice.cli.Terminal;
import dev.sluice.cli.client.Certifier;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.output.Output;
import dev.sluice.trust.key.KeyFiles;
import dev.sluice.trust.key.VerificationKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice certifier}: the labs and authorities that sign off releases. */
@Command(
    name = "certifier",
    description = "Register and inspect certifiers and their public keys.",
    subcommands = {
      CertifierCommand.Add.class,
      CertifierCommand.ListCertifiers.class,
      CertifierCommand.Show.class,
      CertifierCommand.AddKey.class
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
    private List<Path> keys;

    @Option(names = "--json", description = "Print the server's JSON.")
    private boolean json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      List<VerificationKey> publicKeys = keys.stream().map(KeyFiles::readPublic).toList();
      print(terminal, client.createCertifier(id, name, publicKeys), json);
      return ExitCodes.OK;
    }
  }

  /** {@code sluice certifier list}. */
  @Command(name = "list", description = "List the certifiers.")
  static final class ListCertifiers extends ApiCommand {
    @Option(names = "--json", description = "Print the server's JSON.")
    private boolean json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      List<Certifier> certifiers = client.certifiers();
      if (json) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        certifiers.forEach(c -> array.add(c.json()));
        Output.json(terminal.out(), array);
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
      return ExitCodes.OK;
    }
  }

  /** {@code sluice certifier show}. */
  @Command(name = "show", description = "Show a certifier and its key ids.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "ID")
    private String id;

    @Option(names = "--json", description = "Print the server's JSON.")
    private boolean json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      print(terminal, client.certifier(id), json);
      return ExitCodes.OK;
    }
  }

  /** {@code sluice certifier add-key}. */
  @Command(name = "add-key", description = "Register another public key for a certifier (admin).")
  static final class AddKey extends ApiCommand {
    @Parameters(paramLabel = "ID")
    private String id;

    @Option(names = "--key", required = true, paramLabel = "PUBFILE", description = "Public key.")
    private Path key;

    @Option(names = "--json", description = "Print the server's JSON.")
    private boolean json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      print(terminal, client.addCertifierKey(id, KeyFiles.readPublic(key)), json);
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
    out.println("keys");
    for (Certifier.Key k : certifier.keys()) {
      out.println("  " + k.keyId() + "  " + k.keytype() + "/" + k.scheme());
    }
  }
}
