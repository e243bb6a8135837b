package dev.sluice.cli.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.client.Pager;
import dev.sluice.cli.client.Release;
import dev.sluice.cli.client.Report;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.JsonOption;
import dev.sluice.cli.command.ListFilterOptions;
import dev.sluice.cli.command.PageOptions;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import dev.sluice.cli.output.ReleaseText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice release}: uploading, checking and inspecting releases. */
@Command(
    name = "release",
    description = "Create, check, inspect, publish and revoke releases.",
    subcommands = {
      ReleaseCommand.Create.class,
      ReleaseUpload.class,
      ReleaseCommand.Check.class,
      ReleaseCommand.Show.class,
      ReleaseCommand.ReportOf.class,
      ReleaseCommand.ListReleases.class,
      ReleaseCommand.StatementOf.class,
      ReleaseCommand.Publish.class,
      ReleaseCommand.Note.class,
      ReleaseCommand.Revoke.class,
      ReleaseCommand.Delete.class
    })
public final class ReleaseCommand {

  /** {@code sluice release create}. */
  @Command(
      name = "create",
      description = {
        "Create a release from a manifest and upload its artifacts (admin, release-manager).",
        "Prints only the release id on standard output; progress goes to standard error."
      })
  static final class Create extends ApiCommand {
    @Option(
        names = "--product",
        required = true,
        paramLabel = "PRODUCT",
        description = "The product the release is for.")
    private String product;

    @Option(
        names = "--version",
        required = true,
        paramLabel = "VERSION",
        description = "The release version (the manifest must declare the same).")
    private String version;

    @Option(
        names = "--manifest",
        required = true,
        paramLabel = "FILE.json",
        description = "The release manifest (docs/manifest.md), uploaded byte for byte.")
    @InputFile
    private Path manifest;

    @Option(
        names = "--artifact",
        arity = "1..*",
        paramLabel = "FILE",
        description = "Artifact files; each is named by its base name.")
    @InputFile
    private List<Path> artifacts = List.of();

    @Override
    protected int run(SluiceClient client, Terminal terminal) throws IOException {
      List<Path> files = Uploads.checkFiles(spec().commandLine(), artifacts);
      byte[] manifestBytes = Files.readAllBytes(manifest);
      Release release = client.createRelease(product, version, manifestBytes);
      terminal
          .err()
          .println("created release " + release.id() + " (" + product + " " + version + ")");
      try {
        Uploads.uploadAll(client, terminal, release.id(), files);
      } finally {
        terminal.out().println(release.id());
      }
      return ExitCodes.OK;
    }
  }

  /** {@code sluice release check}. */
  @Command(
      name = "check",
      description = {
        "Check a release against its product's standards and print the report",
        "(admin, release-manager). Exits 3 when the release is blocked."
      })
  static final class Check extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The release id (rel_...).")
    private String id;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Release release = client.check(id);
      Report report =
          release
              .report()
              .orElseThrow(
                  () ->
                      new CommandFailedException(
                          "the server checked release " + id + " but sent no report"));
      if (json.requested()) {
        Output.json(terminal.out(), release.json());
      } else {
        ReleaseText.report(terminal.out(), release, report);
      }
      return release.state().equals("checked") && report.passed()
          ? ExitCodes.OK
          : ExitCodes.BLOCKED;
    }
  }

  /** {@code sluice release show}. */
  @Command(name = "show", description = "Show a release: state, artifacts, check, sign-offs.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The release id (rel_...).")
    private String id;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Release release = client.release(id);
      if (json.requested()) {
        Output.json(terminal.out(), release.json());
      } else {
        ReleaseText.summary(terminal.out(), release);
      }
      return ExitCodes.OK;
    }
  }

  /** {@code sluice release report}. */
  @Command(name = "report", description = "Print the report of a release's last check.")
  static final class ReportOf extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The release id (rel_...).")
    private String id;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Release release = client.release(id);
      Report report =
          release
              .report()
              .orElseThrow(
                  () ->
                      new CommandFailedException(
                          "release "
                              + id
                              + " has not been checked yet; run 'sluice release check "
                              + id
                              + "'"));
      if (json.requested()) {
        Output.json(terminal.out(), report.json());
      } else {
        ReleaseText.report(terminal.out(), release, report);
      }
      return ExitCodes.OK;
    }
  }

  /** {@code sluice release list}. */
  @Command(name = "list", description = "List releases, newest first (or as --sort says).")
  static final class ListReleases extends ApiCommand {
    @Option(
        names = "--product",
        paramLabel = "PRODUCT",
        description = "Only releases of this product.")
    private String product;

    @Option(
        names = "--state",
        paramLabel = "STATE",
        description = "draft, checked, blocked, certified, published or revoked.")
    private String state;

    @Mixin private PageOptions pages;

    @Mixin private ListFilterOptions filtered;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Pager.Read<Release, String> read =
          pages.read(
              (cursor, size) ->
                  client.releases(
                      Optional.ofNullable(product),
                      Optional.ofNullable(state),
                      filtered.filter(),
                      filtered.sort(),
                      cursor,
                      size));
      if (json.requested()) {
        Output.jsonArray(terminal.out(), read.items().stream().map(r -> r.json()));
      } else {
        Output.table(
            terminal.out(),
            List.of("ID", "PRODUCT", "VERSION", "STATE", "UPDATED"),
            read.items().stream()
                .map(
                    r ->
                        List.of(
                            r.id(),
                            r.product(),
                            r.version(),
                            Output.state(r.state()),
                            r.updatedAt()))
                .toList());
      }
      pages.more(terminal, "releases", read);
      return ExitCodes.OK;
    }
  }

  /** {@code sluice release statement}. */
  @Command(
      name = "statement",
      description = {
        "Write the release statement's exact canonical bytes (what certifiers sign)",
        "to standard output, or to a file."
      })
  static final class StatementOf extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The release id (rel_...).")
    private String id;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description = "Write the statement to FILE instead of standard output.")
    private Path out;

    @Override
    protected int run(SluiceClient client, Terminal terminal) throws IOException {
      byte[] bytes = client.statement(id).bytes();
      if (out == null) {
        terminal.writeBytes(bytes);
      } else {
        Files.write(out, bytes);
        terminal.err().println("wrote the statement of release " + id + " to " + out);
      }
      return ExitCodes.OK;
    }
  }

  /** {@code sluice release note}. */
  @Command(
      name = "note",
      description = {
        "Set a release's public status note and target date (admin, release-manager), shown on",
        "the transparency portal. Replaces the earlier note; the change is audited."
      })
  static final class Note extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The release id (rel_...).")
    private String id;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "The note.")
    private String text;

    @Option(
        names = "--target-date",
        paramLabel = "YYYY-MM-DD",
        description = "When the release is expected.")
    private String targetDate;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      if (targetDate != null) {
        try {
          java.time.LocalDate.parse(targetDate);
        } catch (java.time.format.DateTimeParseException e) {
          throw new picocli.CommandLine.ParameterException(
              spec().commandLine(), "--target-date must be a date YYYY-MM-DD: " + targetDate);
        }
      }
      JsonNode note = client.statusNote(id, text, Optional.ofNullable(targetDate));
      terminal
          .out()
          .println(
              "status note of "
                  + id
                  + " set"
                  + (note.path("target_date").isTextual()
                      ? " (expected by " + note.path("target_date").asText() + ")"
                      : ""));
      return ExitCodes.OK;
    }
  }

  /** {@code sluice release delete}. */
  @Command(
      name = "delete",
      description = {
        "Delete a DRAFT release (admin, release-manager); its version can be used again.",
        "Its artifacts' blobs go at the next blob collection (sluice gc; hourly in the server)."
      })
  static final class Delete extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "A draft release.")
    private String id;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      client.deleteRelease(id);
      terminal.out().println("deleted release " + id);
      return ExitCodes.OK;
    }
  }

  /** {@code sluice release publish}. */
  @Command(
      name = "publish",
      description = {
        "Publish a CERTIFIED release (admin, release-manager): its record goes into the",
        "transparency log, then its artifacts become TUF targets. Safe to repeat."
      })
  static final class Publish extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The release id (rel_...).")
    private String id;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      JsonNode outcome = client.publish(id);
      if (outcome.path("state").asText().equals("awaiting_signature")) {
        printAwaiting(terminal, "publication", id, outcome);
        return ExitCodes.OK;
      }
      terminal
          .out()
          .println(
              "published "
                  + id
                  + ": log index "
                  + outcome.path("log_index").asLong()
                  + ", leaf hash "
                  + outcome.path("leaf_hash").asText());
      return ExitCodes.OK;
    }
  }

  /** {@code sluice release revoke}. */
  @Command(
      name = "revoke",
      description = {
        "Revoke a PUBLISHED release (admin, release-manager): a revocation record goes into",
        "the transparency log and its TUF targets are removed."
      })
  static final class Revoke extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The release id (rel_...).")
    private String id;

    @Option(
        names = "--reason",
        required = true,
        paramLabel = "TEXT",
        description = "Why the release is revoked; logged publicly and shown to devices.")
    private String reason;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      JsonNode outcome = client.revoke(id, reason);
      if (outcome.path("state").asText().equals("awaiting_signature")) {
        printAwaiting(terminal, "revocation", id, outcome);
        return ExitCodes.OK;
      }
      terminal.out().println("revoked " + id + ": log index " + outcome.path("log_index").asLong());
      return ExitCodes.OK;
    }
  }

  /** A publication or revocation whose product role is signed offline: what it waits for. */
  private static void printAwaiting(Terminal terminal, String what, String id, JsonNode outcome) {
    JsonNode a = outcome.path("awaiting");
    terminal
        .out()
        .println(
            "logged the "
                + what
                + " of "
                + id
                + " at log index "
                + outcome.path("log_index").asLong()
                + "; it waits for the offline signature of "
                + a.path("version").asLong()
                + "."
                + a.path("role").asText()
                + ".json by key "
                + a.path("key_id").asText());
    terminal
        .out()
        .println(
            "the key holder runs: sluice tuf sign-pending "
                + a.path("role").asText()
                + " --key KEYFILE");
  }
}
