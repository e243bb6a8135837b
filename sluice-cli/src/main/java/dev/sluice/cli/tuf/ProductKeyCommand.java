package dev.sluice.cli.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.Terminal;
import dev.sluice.trust.key.VerificationKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice tuf product-key}: sign a product's delegated targets role offline or online. */
@Command(
    name = "product-key",
    description = "Show or choose the key that signs a product's TUF role (offline or online).",
    subcommands = {ProductKeyCommand.Set.class, ProductKeyCommand.Show.class})
final class ProductKeyCommand {

  /** {@code sluice tuf product-key set}. */
  @Command(
      name = "set",
      description = {
        "Sign PRODUCT's role offline with the key in --public-key (its holder signs with",
        "'sluice tuf sign-pending'), or with the server's online key again (--online) (admin).",
        "Setting the same offline key again asks its holder to re-sign the current targets."
      })
  static final class Set extends ApiCommand {
    @Parameters(index = "0", paramLabel = "PRODUCT", description = "The product name.")
    private String product;

    @ArgGroup(multiplicity = "1")
    private Choice choice;

    static final class Choice {
      @Option(
          names = "--public-key",
          paramLabel = "KEYFILE",
          description = "The offline key's public key file (FILE.pub from 'sluice keys generate').")
      @InputFile
      private Path publicKey;

      @Option(names = "--online", description = "Sign with the server's key for the product.")
      private boolean online;
    }

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Optional<VerificationKey> key =
          Optional.ofNullable(choice.publicKey)
              .map(p -> RootCommand.publicKeys(List.of(p)).getFirst());
      JsonNode answer = client.setProductKey(product, key);
      PrintWriter out = terminal.out();
      if (key.isPresent()) {
        out.println(product + "'s role is signed offline by key " + key.get().keyId());
        JsonNode pending = answer.path("pending");
        if (pending.isObject()) {
          out.println(
              "version "
                  + pending.path("version").asLong()
                  + " of its metadata waits for that key: sluice tuf sign-pending "
                  + product
                  + " --key KEYFILE");
        }
      } else {
        out.println(product + "'s role is signed online by the server");
        if (!answer.path("completed").isEmpty()) {
          out.println("completed the releases that waited: " + answer.path("completed"));
        }
      }
      return ExitCodes.OK;
    }
  }

  /** {@code sluice tuf product-key show}. */
  @Command(name = "show", description = "Show how PRODUCT's role is signed.")
  static final class Show extends ApiCommand {
    @Parameters(index = "0", paramLabel = "PRODUCT", description = "The product name.")
    private String product;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      JsonNode answer = client.productKey(product);
      terminal
          .out()
          .println(
              product
                  + ": "
                  + answer.path("signing").asText()
                  + (answer.has("key_id") ? " key " + answer.path("key_id").asText() : ""));
      return ExitCodes.OK;
    }
  }
}
