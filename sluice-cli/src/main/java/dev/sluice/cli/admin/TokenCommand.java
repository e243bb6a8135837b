package dev.sluice.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.client.IssuedToken;
import dev.sluice.cli.client.Pager;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.JsonOption;
import dev.sluice.cli.command.PageOptions;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code sluice token}: API tokens. */
@Command(
    name = "token",
    description = "Manage API tokens (admin).",
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Revoke.class
    })
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

    @Option(
        names = "--expires-in",
        paramLabel = "DURATION",
        description = "The token stops working after this long: e.g. 90d, 12h, 30m.")
    private String expiresIn;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Optional<String> expiresAt =
          Optional.ofNullable(expiresIn)
              .map(d -> Instant.now().plus(duration(d)).truncatedTo(ChronoUnit.SECONDS).toString());
      IssuedToken token =
          client.createToken(
              role, label, Optional.ofNullable(certifier), Optional.ofNullable(product), expiresAt);
      if (json.requested()) {
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
                    + expiresAt.map(e -> ", expiring " + e).orElse("")
                    + "; it will not be shown again");
      }
      return ExitCodes.OK;
    }

    private Duration duration(String text) {
      Matcher m = DURATION.matcher(text.strip());
      if (!m.matches()) {
        throw new ParameterException(
            spec().commandLine(), "--expires-in is a number and a unit: 90d, 12h or 30m");
      }
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
          };
      if (d.isZero() || d.compareTo(Duration.ofDays(3660)) > 0) {
        throw new ParameterException(spec().commandLine(), "--expires-in is between 1m and 3660d");
      }
      return d;
    }
  }

  private static final Pattern DURATION = Pattern.compile("([0-9]{1,7})([dhm])");

  /** {@code sluice token list}. */
  @Command(
      name = "list",
      description = {
        "List API tokens (never their secrets), oldest first: id, label, role, binding, times,"
            + " state. Every one, read page by page.",
        "With --limit N it stops after N and standard error says how to read on (--after)."
      })
  static final class ListTokens extends ApiCommand {
    @Mixin private PageOptions pages;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Pager.Read<JsonNode, String> read = pages.read(client::tokens);
      if (json.requested()) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ArrayNode tokens = answer.putArray("tokens");
        read.items().forEach(tokens::add);
        read.more().ifPresent(n -> answer.put("next", n));
        Output.json(terminal.out(), answer);
        return ExitCodes.OK;
      }
      Instant now = Instant.now();
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode t : read.items()) {
        String binding =
            t.has("certifier")
                ? "certifier " + t.path("certifier").asText()
                : t.has("product") ? "product " + t.path("product").asText() : "";
        String state =
            t.has("revoked_at")
                ? "revoked " + t.path("revoked_at").asText()
                : t.has("expires_at") && !Instant.parse(t.path("expires_at").asText()).isAfter(now)
                    ? "expired"
                    : "valid";
        rows.add(
            List.of(
                t.path("id").asText(),
                t.path("label").asText(),
                t.path("role").asText(),
                binding,
                t.path("created_at").asText(),
                t.path("expires_at").asText("never"),
                state));
      }
      Output.table(
          terminal.out(),
          List.of("ID", "LABEL", "ROLE", "BINDING", "CREATED", "EXPIRES", "STATE"),
          rows);
      pages.more(terminal, "tokens", read);
      return ExitCodes.OK;
    }
  }

  /** {@code sluice token revoke ID}. */
  @Command(
      name = "revoke",
      description = "Revoke an API token by its id (see token list): it fails at once everywhere.")
  static final class Revoke extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The token id (see sluice token list).")
    private String id;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      JsonNode revoked = client.revokeToken(id);
      terminal
          .err()
          .println(
              "revoked token "
                  + revoked.path("id").asText()
                  + " ("
                  + revoked.path("label").asText()
                  + ")");
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
