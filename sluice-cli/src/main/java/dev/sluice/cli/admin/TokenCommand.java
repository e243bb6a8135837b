package dev.sluice.cli.admin;

import dev.sluice.cli.ApiCommand;
import dev.sluice.cli.ExitCodes;
import dev.sluice.cli.Terminal;
import dev.sluice.cli.client.IssuedToken;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.output.Output;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice token}: API tokens. */
@Command(
    name = "token",
    description = "Manage API tokens (admin).",
    subcommands = {TokenCommand.Create.class})
public final class TokenCommand {

  /** {@code sluice token create}. */
  @Command(
      name = "create",
      description = {
        "Create an API token. The token is printed once, alone on standard output;",
        "the server keeps only its hash."
      })
  static final class Create extends ApiCommand {
    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        completionCandidates = Roles.class,
        description = "One of: ${COMPLETION-CANDIDATES}.")
    private String role;

    @Option(names = "--label", required = true, paramLabel = "LABEL", description = "Who holds it.")
    private String label;

    @Option(
        names = "--certifier",
        paramLabel = "ID",
        description = "The certifier the token signs off for (role certifier only).")
    private String certifier;

    @Option(
        names = "--product",
        paramLabel = "PRODUCT",
        description = "The product whose devices the token serves (role device-gateway only).")
    private String product;

    @Option(names = "--json", description = "Print the server's JSON (including the token).")
    private boolean json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      IssuedToken token =
          client.createToken(
              role, label, Optional.ofNullable(certifier), Optional.ofNullable(product));
      if (json) {
        Output.json(terminal.out(), token.json());
      } else {
        terminal.out().println(token.token());
        terminal
            .err()
            .println(
                "created a "
                    + token.role()
                    + " token for '"
                    + token.label()
                    + "'"
                    + token.certifier().map(c -> " (certifier " + c + ")").orElse("")
                    + token.product().map(p -> " (product " + p + ")").orElse("")
                    + "; it will not be shown again");
      }
      return ExitCodes.OK;
    }
  }

  /** The role names of the API contract. */
  static final class Roles implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.List.of(
              "admin", "release-manager", "certifier", "operator", "auditor", "device-gateway")
          .iterator();
    }
  }
}
