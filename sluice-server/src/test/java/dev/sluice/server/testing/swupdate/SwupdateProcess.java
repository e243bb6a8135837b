package dev.sluice.server.testing.swupdate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A real SWUpdate daemon polling a hawkBit DDI server (its "suricatta" mode) as one device, like
 * {@code swupdate -k cert.pem -H board:rev -u "-t TENANT -u URL -i DEVICE -k TOKEN"}.
 *
 * <p>Everything it needs lives in its work directory: its IPC sockets ({@code TMPDIR}), so several
 * can run at once, and one log file per run for diagnostics ({@link #log()}). Its update state is
 * SWUpdate's default in-RAM bootloader environment ("none"), so a restart forgets that an update
 * was installed: {@link #confirm()} restarts it with {@code -c 2}, the report a device makes after
 * rebooting into the new version. With {@link Settings#identify()} attributes it also sends DDI
 * configData (after every start, and whenever the server offers the configData link). Callers wait
 * for effects by polling the server (Awaitility), never by sleeping.
 */
public final class SwupdateProcess implements AutoCloseable {
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final int MAX_SOCKET_PATH = 100; // sockaddr_un.sun_path is 108 bytes
  private static final String SAFE = "[A-Za-z0-9._:+-]{1,128}";

  /** The update state reported at start ({@code -c}); see SWUpdate's {@code update_state_t}. */
  public enum Report {
    /** Nothing: a normal start. */
    NONE(null),
    /** "1": installed, testing pending (proceeding). */
    INSTALLED("1"),
    /** "2": the update works after reboot (closed / success). */
    SUCCESS("2"),
    /** "3": the update failed after reboot (closed / failure). */
    FAILED("3");

    private final String flag;

    Report(String flag) {
      this.flag = flag;
    }
  }

  /**
   * How to reach the server and who the device is.
   *
   * @param server DDI base URL, e.g. {@code http://127.0.0.1:8080} (requests go to {@code
   *     <server>/<tenant>/controller/v1/<controllerId>})
   * @param tenant the DDI tenant path segment
   * @param controllerId the device's controller id
   * @param targetToken the device's target token ({@code Authorization: TargetToken ...})
   * @param signer whose certificate verifies the images
   * @param hardwareRevision "board:revision", matched against {@code hardware-compatibility}
   * @param workDir logs and sockets; a short path (unix socket paths are limited)
   * @param identify attributes SWUpdate sends as DDI configData (its {@code identify} setting),
   *     e.g. {@code sluice.version}; empty: it sends none
   */
  public record Settings(
      URI server,
      String tenant,
      String controllerId,
      String targetToken,
      SigningCertificate signer,
      String hardwareRevision,
      Path workDir,
      Map<String, String> identify) {
    public Settings {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(signer, "signer");
      Objects.requireNonNull(workDir, "workDir");
      identify = Collections.unmodifiableMap(new TreeMap<>(identify));
      identify.forEach(
          (key, value) -> {
            if (!key.matches(SAFE) || !value.matches(SAFE)) {
              throw new IllegalArgumentException("identify keys and values match " + SAFE);
            }
          });
      if (!"http".equals(server.getScheme()) || server.getHost() == null) {
        throw new IllegalArgumentException("the server is an http:// URL, got " + server);
      }
      // swupdate splits the -u argument string on blanks: no value may contain one.
      for (String value : List.of(server.toString(), tenant, controllerId, targetToken)) {
        if (value == null || value.isEmpty() || !value.matches("\\S+")) {
          throw new IllegalArgumentException("server, tenant, id and token are non-blank words");
        }
      }
      checkHardwareRevision(hardwareRevision);
    }

    /** The same device with other configData attributes. */
    public Settings withIdentify(Map<String, String> attributes) {
      return new Settings(
          server, tenant, controllerId, targetToken, signer, hardwareRevision, workDir, attributes);
    }
  }

  private Settings settings;
  private final List<Path> logs = new ArrayList<>();
  private Process process;

  private SwupdateProcess(Settings settings) {
    this.settings = settings;
  }

  /** Starts SWUpdate; it polls the server at once, then as the server's polling sleep says. */
  public static SwupdateProcess start(Settings settings) {
    SwupdateProcess swupdate = new SwupdateProcess(settings);
    swupdate.launch(Report.NONE);
    return swupdate;
  }

  /** Restarts SWUpdate with {@code -c 2}: the device confirms the update after its reboot. */
  public void confirm() {
    restart(Report.SUCCESS);
  }

  /**
   * Like {@link #confirm()}, the device now also reporting {@code sluice.version = runningVersion}
   * in its configData, as a device that booted into the new release would.
   */
  public void confirm(String runningVersion) {
    Map<String, String> identify = new TreeMap<>(settings.identify());
    identify.put("sluice.version", runningVersion);
    settings = settings.withIdentify(identify);
    restart(Report.SUCCESS);
  }

  /** Stops SWUpdate and starts it again, reporting {@code report} first. */
  public void restart(Report report) {
    stop();
    launch(report);
  }

  /** Asks the running SWUpdate to poll the server now ({@code swupdate-ipc hawkbitcfg -t}). */
  public boolean pollNow() {
    return ipc("-t");
  }

  /**
   * Makes SWUpdate poll every {@code seconds} whatever the server's polling sleep says, from the
   * end of its current wait ({@code swupdate-ipc hawkbitcfg -p}).
   */
  public boolean pollEvery(int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("poll at least every second");
    }
    return ipc("-p", Integer.toString(seconds));
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The process id of the running daemon (its children are suricatta and helpers). */
  public Optional<ProcessHandle> handle() {
    return isRunning() ? Optional.of(process.toHandle()) : Optional.empty();
  }

  /** Stops SWUpdate and all its child processes. Does nothing if it is not running. */
  public void stop() {
    if (process != null) {
      ProcessTree.kill(process, STOP_GRACE);
      process = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Everything SWUpdate printed, run after run, for assertion messages. */
  public String log() {
    StringBuilder all = new StringBuilder();
    for (Path file : logs) {
      all.append("==== ").append(file.getFileName()).append('\n');
      all.append(ExternalCommand.read(file));
    }
    return all.toString();
  }

  private void launch(Report report) {
    Path log = settings.workDir().resolve("swupdate-" + (logs.size() + 1) + ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Tools.swupdate().toString(),
                "-v",
                "-k",
                settings.signer().certificate().toString(),
                "-H",
                settings.hardwareRevision(),
                "-u",
                suricattaArguments(report)));
    if (!settings.identify().isEmpty()) {
      command.addAll(List.of("-f", writeConfiguration(logs.size() + 1).toString()));
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    ExternalCommand.PROXY_VARIABLES.forEach(builder.environment()::remove);
    builder.environment().put("TMPDIR", ipcDirectory(settings.workDir()).toString());
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start swupdate", e);
    }
    logs.add(log);
  }

  // SWUpdate's configuration file (libconfig); it refuses one without a globals section.
  private Path writeConfiguration(int run) {
    StringBuilder text = new StringBuilder("globals :\n{\n};\n\nidentify : (\n");
    List<String> entries = new ArrayList<>();
    settings
        .identify()
        .forEach(
            (key, value) ->
                entries.add("\t{ name = \"" + key + "\"; value = \"" + value + "\"; }"));
    text.append(String.join(",\n", entries)).append("\n);\n");
    Path file = settings.workDir().resolve("swupdate-" + run + ".cfg");
    try {
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String suricattaArguments(Report report) {
    String server = settings.server().toString().replaceAll("/+$", "");
    List<String> args =
        new ArrayList<>(
            List.of(
                "-t", settings.tenant(),
                "-u", server,
                "-i", settings.controllerId(),
                "-k", settings.targetToken(),
                // retry a failed -c report every second instead of every 10
                "-m", "1"));
    if (report.flag != null) {
      args.addAll(List.of("-c", report.flag));
    }
    return String.join(" ", args);
  }

  private boolean ipc(String... options) {
    if (!isRunning()) {
      throw new IllegalStateException("swupdate is not running");
    }
    List<String> command = new ArrayList<>(List.of(Tools.swupdateIpc().toString(), "hawkbitcfg"));
    command.addAll(List.of(options));
    ExternalCommand.Result result =
        ExternalCommand.run(
            command,
            Map.of("TMPDIR", ipcDirectory(settings.workDir()).toString()),
            settings.workDir().resolve("swupdate-ipc.out"),
            Duration.ofSeconds(30));
    return result.exitCode() == 0
        && result.output().contains("ACK")
        && !result.output().contains("NACK");
  }

  static void checkHardwareRevision(String hardwareRevision) {
    if (hardwareRevision == null || !hardwareRevision.matches("[A-Za-z0-9._-]+:[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("a hardware revision is 'board:revision'");
    }
  }

  /** The directory for SWUpdate's unix sockets and temporary files (its {@code TMPDIR}). */
  static Path ipcDirectory(Path workDir) {
    Path ipc = workDir.toAbsolutePath().resolve("ipc");
    if (ipc.resolve("sockinstctrl").toString().length() > MAX_SOCKET_PATH) {
      throw new IllegalArgumentException("work dir path too long for unix sockets: " + workDir);
    }
    try {
      return Files.createDirectories(ipc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
