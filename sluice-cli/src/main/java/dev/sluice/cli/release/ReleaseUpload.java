package dev.sluice.cli.release;

import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.Terminal;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice release upload}: adds artifacts to a draft, e.g. to resume a failed create. */
@Command(
    name = "upload",
    description = "Upload artifact files to a draft release (admin, release-manager).")
final class ReleaseUpload extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "A draft release.")
  private String id;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "FILE",
      description = "Artifact files; each is named by its base name.")
  @InputFile
  private List<Path> files;

  @picocli.CommandLine.Option(
      names = "--replace",
      description = "Replace artifacts the draft already has under the same names.")
  private boolean replace;

  @Override
  protected int run(SluiceClient client, Terminal terminal) {
    Uploads.uploadAll(
        client, terminal, id, Uploads.checkFiles(spec().commandLine(), files), replace);
    return ExitCodes.OK;
  }
}
