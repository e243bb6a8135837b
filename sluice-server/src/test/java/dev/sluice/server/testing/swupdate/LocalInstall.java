package dev.sluice.server.testing.swupdate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Installs a {@code .swu} file directly ({@code swupdate -i image -k cert.pem -H board:rev}), no
 * server involved: SWUpdate verifies the CMS signature, the hardware revision and every payload's
 * sha256, then runs the handlers.
 */
public final class LocalInstall {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  /** How the installation ended: exit code 0 is success; the output is SWUpdate's verbose log. */
  public record Result(int exitCode, String output) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  private LocalInstall() {}

  /**
   * Runs SWUpdate on {@code image}, trusting {@code signer}'s certificate, on hardware {@code
   * hardwareRevision} ("board:revision"). {@code workDir} receives the log and SWUpdate's sockets.
   */
  public static Result run(
      Path image, SigningCertificate signer, String hardwareRevision, Path workDir) {
    SwupdateProcess.checkHardwareRevision(hardwareRevision);
    Path ipc = SwupdateProcess.ipcDirectory(workDir);
    ExternalCommand.Result result =
        ExternalCommand.run(
            List.of(
                Tools.swupdate().toString(),
                "-v",
                "-i",
                image.toString(),
                "-k",
                signer.certificate().toString(),
                "-H",
                hardwareRevision),
            Map.of("TMPDIR", ipc.toString()),
            workDir.resolve("swupdate-local-install.log"),
            TIMEOUT);
    return new Result(result.exitCode(), result.output());
  }
}
