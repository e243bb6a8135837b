package dev.sluice.cli.verify;

import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.AtomicFiles;
import dev.sluice.trust.chain.BundleChainSource;
import dev.sluice.trust.chain.ChainVerificationException;
import dev.sluice.trust.chain.HttpChainSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice verify bundle}: gathers a release's chain into one file for offline checks. */
@Command(
    name = "bundle",
    description = {
      "Verify RELEASE-ID against a server and write everything its chain needs (TUF metadata,"
          + " the checkpoint, the log tiles holding the release, its policies and later entries)"
          + " into one JSON file, so that 'sluice verify --bundle FILE' works with no network."
          + " Nothing is written if a link breaks."
    })
final class BundleCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private TrustAnchors anchors;

  @Option(names = "--server", required = true, paramLabel = "URL", description = "The server.")
  private URI server;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "Where to write the bundle (for example x.bundle.json).")
  private Path output;

  @Parameters(paramLabel = "RELEASE-ID", description = "The release to bundle.")
  private String releaseId;

  @Override
  public Integer call() {
    Terminal terminal = Terminal.of(spec);
    ChainPrinter printer = new ChainPrinter(terminal.out());
    HttpChainSource source;
    try {
      source = new HttpChainSource(server);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--server: " + e.getMessage());
    }
    terminal.out().println("Verifying release " + releaseId + " with " + server);
    BundleChainSource.Gathered gathered;
    try {
      gathered =
          BundleChainSource.gather(
              source,
              anchors.rootBytes(spec),
              anchors.logVerifier(spec),
              releaseId,
              Clock.systemUTC(),
              printer);
    } catch (ChainVerificationException e) {
      printer.broken(e);
      terminal.err().println("sluice: verification FAILED at the " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    byte[] bytes = gathered.bundle().toBytes();
    AtomicFiles.write(output, bytes);
    printer.verified(gathered.release());
    terminal.out().println("Wrote " + output + " (" + bytes.length + " bytes)");
    return ExitCodes.OK;
  }
}
