package dev.sluice.cli.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.client.Release;
import dev.sluice.cli.client.SignOffRequest;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.client.Statement;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.JsonOption;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import dev.sluice.cli.output.ReleaseText;
import dev.sluice.trust.key.KeyFiles;
import dev.sluice.trust.key.SigningKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice certify}: approve or reject a release as a certifier. The statement is fetched,
 * checked against its declared digest and against the release the server describes, and signed
 * here; only the signature is sent.
 */
@Command(
    name = "certify",
    description = {
      "Approve (or --reject) a checked release, signing with your private key.",
      "Needs a certifier token. The statement is signed on this machine; the private key",
      "is never sent."
    })
public final class CertifyCommand extends ApiCommand {
  @Parameters(paramLabel = "ID", description = "The release id (rel_...).")
  private String id;

  @Option(names = "--key", required = true, paramLabel = "FILE", description = "Private key file.")
  @InputFile
  private Path keyFile;

  @Option(names = "--reject", paramLabel = "REASON", description = "Reject, giving the reason.")
  private String rejectReason;

  @Mixin private JsonOption json;

  @Override
  protected int run(SluiceClient client, Terminal terminal) {
    if (rejectReason != null && rejectReason.isBlank()) {
      throw new picocli.CommandLine.ParameterException(
          spec().commandLine(), "--reject needs a non-blank reason");
    }
    SigningKey key = KeyFiles.readPrivate(keyFile);
    Statement statement = client.statement(id);
    Release release = client.release(id);
    requireDescribes(statement.json(), release);
    SignOffRequest request =
        rejectReason == null
            ? SignOffRequest.approve(statement, key)
            : SignOffRequest.reject(statement, key, rejectReason);
    terminal
        .err()
        .println(
            (rejectReason == null ? "approving" : "rejecting")
                + " statement sha256:"
                + statement.sha256()
                + " of "
                + release.product()
                + " "
                + release.version()
                + " with key "
                + key.keyId());
    Release after = client.signOff(id, request);
    if (json.requested()) {
      Output.json(terminal.out(), after.json());
    } else {
      terminal
          .out()
          .println(
              "release "
                  + after.id()
                  + ": "
                  + Output.state(after.state())
                  + ", "
                  + ReleaseText.progress(after));
    }
    return ExitCodes.OK;
  }

  /**
   * Refuses to sign a statement that does not describe the release the server shows: the certifier
   * reviewed that release (its report, its artifacts), so that is what it must sign.
   */
  static void requireDescribes(JsonNode statement, Release release) {
    List<String> mismatches = new ArrayList<>();
    compare(mismatches, "product", statement.path("product").asText(), release.product());
    compare(mismatches, "version", statement.path("version").asText(), release.version());
    compare(
        mismatches,
        "manifest_sha256",
        statement.path("manifest_sha256").asText(),
        release.manifestSha256());
    release
        .reportSha256()
        .ifPresent(
            r -> compare(mismatches, "report_sha256", statement.path("report_sha256").asText(), r));
    List<String> stated = new ArrayList<>();
    statement
        .path("artifacts")
        .forEach(a -> stated.add(a.path("name").asText() + "=" + a.path("sha256").asText()));
    List<String> shown =
        release.artifacts().stream().map(a -> a.name() + "=" + a.sha256()).sorted().toList();
    compare(
        mismatches,
        "artifacts",
        String.join(",", stated.stream().sorted().toList()),
        String.join(",", shown));
    if (!mismatches.isEmpty()) {
      throw new CommandFailedException(
          "the statement does not describe release "
              + release.id()
              + " as the server shows it ("
              + String.join("; ", mismatches)
              + "); refusing to sign");
    }
  }

  private static void compare(List<String> mismatches, String field, String stated, String shown) {
    if (!Objects.equals(stated, shown)) {
      mismatches.add(field + ": statement says '" + stated + "', release says '" + shown + "'");
    }
  }
}
