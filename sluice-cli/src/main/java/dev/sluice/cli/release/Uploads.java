package dev.sluice.cli.release;

import dev.sluice.cli.client.CliException;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.client.UploadedArtifact;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
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
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      String name = file.getFileName().toString();
      terminal.err().println("uploading " + name + " ...");
      UploadedArtifact stored;
      try {
        stored = client.uploadArtifact(releaseId, file);
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
        terminal
            .err()
            .println(
                "sluice: retry with 'sluice release upload "
                    + releaseId
                    + " "
                    + String.join(
                        " ", files.subList(i, files.size()).stream().map(Path::toString).toList())
                    + "'");
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
