package dev.sluice.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.JsonOption;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import dev.sluice.core.policy.PolicyCertifier;
import dev.sluice.core.policy.PolicyStatement;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.KeyFiles;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice product policy}: a product's certification policy (who certifies, how many must
 * agree), logged in the transparency log. A change of certifiers or threshold is proposed by an
 * admin and takes effect once the current policy's threshold of certifiers signed it (see
 * docs/certification.md).
 */
@Command(
    name = "policy",
    description = "Show, propose and sign changes of a product's certification policy.",
    subcommands = {
      PolicyCommand.Show.class,
      PolicyCommand.Propose.class,
      PolicyCommand.Statement.class,
      PolicyCommand.Sign.class
    })
public final class PolicyCommand {

  /** {@code sluice product policy show}. */
  @Command(name = "show", description = "Show the product's current and past policies (public).")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "PRODUCT", description = "The product name.")
    private String product;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      JsonNode policies = client.publicPolicies(product);
      PrintWriter out = terminal.out();
      if (json.requested()) {
        Output.json(out, policies);
        return ExitCodes.OK;
      }
      JsonNode list = policies.path("policies");
      if (list.isEmpty()) {
        throw new CommandFailedException("product " + product + " has no policy record");
      }
      JsonNode current = list.get(list.size() - 1);
      PolicyStatement s = statement(current.path("record").path("statement"));
      out.println("product    " + product);
      out.println("policy     sequence " + s.sequence() + ", " + logIndex(current));
      out.println("threshold  " + s.threshold() + " of " + s.certifiers().size());
      out.println("certifiers");
      for (PolicyCertifier c : s.certifiers()) {
        out.println(
            "  "
                + c.id()
                + " (key-set version "
                + c.version()
                + "): "
                + c.keys().stream().map(VerificationKey::keyId).collect(Collectors.joining(", ")));
      }
      out.println("history");
      for (JsonNode p : list) {
        JsonNode change = p.path("record").path("statement").path("change");
        out.println(
            "  "
                + p.path("sequence").asText()
                + "  "
                + change.path("kind").asText()
                + (change.has("certifier")
                    ? " " + change.path("certifier").asText() + " " + change.path("key_id").asText()
                    : "")
                + "  "
                + logIndex(p)
                + "  leaf "
                + p.path("leaf_hash").asText());
      }
      return ExitCodes.OK;
    }

    private static String logIndex(JsonNode policy) {
      JsonNode index = policy.path("log_index");
      return index.isIntegralNumber() ? "log index " + index.asLong() : "not yet in the log";
    }
  }

  /** {@code sluice product policy propose}. */
  @Command(
      name = "propose",
      description = {
        "Propose a new certifier set and/or threshold (admin). It takes effect only when the",
        "threshold of the product's current certifiers have signed it."
      })
  static final class Propose extends ApiCommand {
    @Parameters(paramLabel = "PRODUCT", description = "The product name.")
    private String product;

    @Option(names = "--threshold", paramLabel = "M", description = "The new threshold.")
    private Integer threshold;

    @Option(
        names = "--certifier",
        arity = "1..*",
        split = ",",
        paramLabel = "ID",
        description = "The new certifier set (all of it).")
    private List<String> certifiers;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      if (threshold == null && (certifiers == null || certifiers.isEmpty())) {
        throw new picocli.CommandLine.ParameterException(
            spec().commandLine(), "give --threshold, --certifier or both");
      }
      JsonNode pending =
          client.proposePolicy(
              product,
              threshold == null ? OptionalInt.empty() : OptionalInt.of(threshold),
              certifiers == null ? List.of() : certifiers);
      if (json.requested()) {
        Output.json(terminal.out(), pending);
        return ExitCodes.OK;
      }
      PolicyStatement s = statement(pending.path("statement"));
      PrintWriter out = terminal.out();
      out.println("proposed   " + describe(s));
      out.println("statement  sha256:" + s.sha256().hex());
      out.println(
          "Each certifier of the current policy signs it with: sluice product policy sign "
              + product
              + " --key KEY.key");
      return ExitCodes.OK;
    }
  }

  /** {@code sluice product policy statement}. */
  @Command(
      name = "statement",
      description = "Print the exact bytes of the pending policy statement (what certifiers sign).")
  static final class Statement extends ApiCommand {
    @Parameters(paramLabel = "PRODUCT", description = "The product name.")
    private String product;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      byte[] bytes = client.pendingPolicyStatement(product);
      checked(product, bytes);
      terminal.out().print(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      terminal.out().println();
      return ExitCodes.OK;
    }
  }

  /** {@code sluice product policy sign}. */
  @Command(
      name = "sign",
      description = {
        "Sign the pending policy statement with a certifier's key and submit the signature.",
        "With a certifier token it signs for that certifier; an admin names it with --certifier.",
        "The statement is checked and signed here; the private key is never sent."
      })
  static final class Sign extends ApiCommand {
    @Parameters(paramLabel = "PRODUCT", description = "The product name.")
    private String product;

    @Option(names = "--key", required = true, paramLabel = "KEY.key", description = "Private key.")
    @InputFile
    private java.nio.file.Path keyFile;

    @Option(
        names = "--certifier",
        paramLabel = "ID",
        description = "The certifier whose signature an admin submits.")
    private String certifier;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) throws IOException {
      SigningKey key = KeyFiles.readPrivate(keyFile);
      byte[] bytes = client.pendingPolicyStatement(product);
      PolicyStatement s = checked(product, bytes);
      terminal
          .err()
          .println(
              "signing policy statement sha256:"
                  + s.sha256().hex()
                  + " with key "
                  + key.keyId()
                  + ": "
                  + describe(s));
      JsonNode result =
          client.signPolicy(
              product, Optional.ofNullable(certifier), key.keyId(), key.sign(bytes), s.sha256());
      if (json.requested()) {
        Output.json(terminal.out(), result);
        return ExitCodes.OK;
      }
      if ("applied".equals(result.path("status").asText())) {
        terminal
            .out()
            .println(
                "applied: policy "
                    + result.path("policy").path("sequence").asText()
                    + " of "
                    + product
                    + " is in force");
      } else {
        terminal
            .out()
            .println(
                "recorded; "
                    + result.path("signatures").size()
                    + " certifier(s) signed so far, waiting for the current threshold");
      }
      return ExitCodes.OK;
    }
  }

  /** Parses the served statement, refusing bytes that are not a canonical statement of P. */
  static PolicyStatement checked(String product, byte[] bytes) {
    PolicyStatement s;
    try {
      s = PolicyStatement.fromJson(CanonicalJson.parse(bytes));
    } catch (RuntimeException e) {
      throw new CommandFailedException(
          "the server sent something that is not a policy statement: " + e.getMessage());
    }
    if (!s.product().value().equals(product)) {
      throw new CommandFailedException(
          "the server sent a policy statement of product " + s.product() + ", not " + product);
    }
    if (!Arrays.equals(s.canonicalBytes(), bytes)) {
      throw new CommandFailedException("the policy statement is not in canonical form");
    }
    return s;
  }

  private static PolicyStatement statement(JsonNode node) {
    try {
      return PolicyStatement.fromJson(node);
    } catch (RuntimeException e) {
      throw new CommandFailedException("the server sent a malformed policy: " + e.getMessage());
    }
  }

  static String describe(PolicyStatement s) {
    return "sequence "
        + s.sequence()
        + " of "
        + s.product()
        + ", threshold "
        + s.threshold()
        + " of "
        + s.certifiers().stream().map(c -> c.id().value()).collect(Collectors.joining(", "))
        + s.previous().map(p -> ", replacing the policy at log index " + p.logIndex()).orElse("");
  }
}
