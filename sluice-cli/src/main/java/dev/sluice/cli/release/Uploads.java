package dev.sluice.cli.release;

import dev.sluice.cli.client.ApiException;
import dev.sluice.cli.client.CliException;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.client.UploadedArtifact;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import dev.sluice.cli.output.Progress;
import dev.sluice.cli.output.Sizes;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Artifact uploads shared by {@code release create} and {@code release upload}. */
final class Uploads {
  private Uploads() {}

  /**
   * What to do after a failed upload: the same command again only when it can succeed (the
   * connection failed or the server was busy); otherwise what must change first.
   */
  static String nextStep(RuntimeException failure, String releaseId, List<Path> left) {
    String again =
        "'sluice release upload "
            + releaseId
            + " "
            + String.join(" ", left.stream().map(Path::toString).toList())
            + "'";
    if (failure instanceof ApiException api) {
      return switch (api.status()) {
        case 413 ->
            "the artifact is larger than the manifest declares or the product allows; fix the"
                + " file, or raise the limit with 'sluice product update PRODUCT"
                + " --max-artifact-size SIZE', then run "
                + again;
        case 409 ->
            api.getMessage().contains("already uploaded")
                ? "to replace an artifact of a draft, run "
                    + again.replace("upload ", "upload --replace ")
                : "the release is no longer a draft; create a new release for changed artifacts";
        case 400, 404 -> "nothing to retry: correct the file or the release id first";
        case 401, 403 ->
            "check --token (or SLUICE_TOKEN): a release-manager or admin token uploads";
        default -> "retry with " + again;
      };
    }
    return "retry with " + again;
  }

  /** Checks, before anything is sent, that every file is readable and names are unique. */
  static List<Path> checkFiles(CommandLine commandLine, List<Path> files) {
    Set<String> names = new HashSet<>();
    for (Path file : files) {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new ParameterException(commandLine, "artifact " + file + " is not a readable file");
      }
      if (!names.add(file.getFileName().toString())) {
        throw new ParameterException(
            commandLine,
            "two artifacts are named " + file.getFileName() + "; artifact names must be unique");
      }
    }
    return List.copyOf(files);
  }

  /** Uploads each file in turn; the first failure stops and names what was not uploaded. */
  static void uploadAll(
      SluiceClient client, Terminal terminal, String releaseId, List<Path> files) {
    uploadAll(client, terminal, releaseId, files, false);
  }

  /**
   * Like {@link #uploadAll(SluiceClient, Terminal, String, List)}, replacing with {@code replace}.
   */
  static void uploadAll(
      SluiceClient client, Terminal terminal, String releaseId, List<Path> files, boolean replace) {
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      String name = file.getFileName().toString();
      terminal.err().println("uploading " + name + " ...");
      UploadedArtifact stored;
      try {
        // Read once: hashed as it is sent. The server checks the bytes against the manifest's
        // sha256 before it keeps them; the client checks the server kept what it sent.
        try (Progress progress =
            Progress.of(terminal.err(), name, Files.size(file), terminal.errIsTerminal())) {
          stored = client.uploadArtifact(releaseId, name, file, replace, progress::advance);
        }
      } catch (java.io.IOException e) {
        throw new UncheckedIOException(e);
      } catch (CliException | UncheckedIOException e) {
        List<String> left =
            files.subList(i, files.size()).stream().map(f -> f.getFileName().toString()).toList();
        terminal
            .err()
            .println(
                "sluice: uploading "
                    + name
                    + " to release "
                    + releaseId
                    + " failed; not uploaded: "
                    + String.join(", ", left));
        terminal.err().println("sluice: " + nextStep(e, releaseId, files.subList(i, files.size())));
        throw e;
      }
      terminal
          .err()
          .println(
              "uploaded "
                  + stored.name()
                  + " ("
                  + Sizes.format(stored.size())
                  + ", sha256:"
                  + Output.shortDigest(stored.sha256())
                  + ")");
    }
  }
}
