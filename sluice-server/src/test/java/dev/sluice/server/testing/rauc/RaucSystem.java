package dev.sluice.server.testing.rauc;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real RAUC system for tests: a test CA made with openssl, a {@code system.conf} with two raw
 * root file system slots (plain files) and the {@code noop} bootloader, a private D-Bus session bus
 * ({@code dbus-daemon --session}) and {@code rauc service} on it. Bundles are built with {@code
 * rauc bundle} and signed by the test CA; installations go through RAUC's D-Bus API ({@code
 * de.pengutronix.rauc.Installer.InstallBundle}) and end with its {@code Completed} signal. A
 * "reboot" restarts the service booted from the slot RAUC just wrote (the noop bootloader does not
 * switch slots itself).
 */
public final class RaucSystem implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STEP = Duration.ofMinutes(1);
  private static final Pattern COMPLETED = Pattern.compile("Installer\\.Completed \\((-?\\d+),\\)");

  private final Path dir;
  private final String compatible;
  private final Path cert;
  private final Path key;
  private final Path conf;
  private Process bus;
  private String busAddress;
  private Process service;
  private String booted = "A";

  private RaucSystem(Path dir, String compatible) {
    this.dir = dir;
    this.compatible = compatible;
    this.cert = dir.resolve("ca.cert.pem");
    this.key = dir.resolve("ca.key.pem");
    this.conf = dir.resolve("system.conf");
  }

  /** Makes the CA, the slots and the configuration, starts the bus and the service (slot A). */
  public static RaucSystem start(Path dir, String compatible) {
    RaucTools.requireRoot();
    RaucTools.rauc();
    RaucTools.gdbus();
    RaucTools.dbusDaemon();
    RaucTools.openssl();
    RaucSystem system = new RaucSystem(dir, compatible);
    try {
      system.prepare();
      system.startBus();
      system.startService();
      return system;
    } catch (RuntimeException e) {
      system.close();
      throw e;
    }
  }

  private void prepare() {
    try {
      Files.createDirectories(dir.resolve("mnt"));
      Files.createDirectories(dir.resolve("data"));
      for (String slot : List.of("slotA.img", "slotB.img")) {
        Files.write(dir.resolve(slot), new byte[1 << 20]);
      }
      run(
          List.of(
              "openssl",
              "req",
              "-x509",
              "-newkey",
              "rsa:2048",
              "-nodes",
              "-keyout",
              key.toString(),
              "-out",
              cert.toString(),
              "-days",
              "2",
              "-subj",
              "/CN=sluice rauc test",
              "-addext",
              "basicConstraints=critical,CA:TRUE",
              "-addext",
              "keyUsage=critical,digitalSignature,keyCertSign"),
          "openssl");
      Files.writeString(
          conf,
          String.join(
              "\n",
              "[system]",
              "compatible=" + compatible,
              "bootloader=noop",
              "mountprefix=" + dir.resolve("mnt"),
              "data-directory=" + dir.resolve("data"),
              "",
              "[keyring]",
              "path=" + cert,
              "",
              "[slot.rootfs.0]",
              "device=" + dir.resolve("slotA.img"),
              "type=raw",
              "bootname=A",
              "",
              "[slot.rootfs.1]",
              "device=" + dir.resolve("slotB.img"),
              "type=raw",
              "bootname=B",
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A bundle of {@code version} whose root file system image is {@code rootfs}, signed. */
  public byte[] bundle(String version, byte[] rootfs) {
    try {
      Path content = Files.createTempDirectory(dir, "bundle-");
      Files.write(content.resolve("rootfs.img"), rootfs);
      Files.writeString(
          content.resolve("manifest.raucm"),
          String.join(
              "\n",
              "[update]",
              "compatible=" + compatible,
              "version=" + version,
              "",
              "[bundle]",
              "format=plain",
              "",
              "[image.rootfs]",
              "filename=rootfs.img",
              ""));
      Path out = dir.resolve("update-" + version + ".raucb");
      Files.deleteIfExists(out);
      run(
          List.of(
              "rauc",
              "--cert=" + cert,
              "--key=" + key,
              "--keyring=" + cert,
              "bundle",
              content.toString(),
              out.toString()),
          "rauc bundle");
      return Files.readAllBytes(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Installs a bundle file through {@code de.pengutronix.rauc.Installer.InstallBundle} and waits
   * for RAUC's {@code Completed} signal.
   *
   * @return RAUC's result: 0 for success
   */
  public int install(Path bundle) {
    Process monitor =
        spawn(
            List.of(
                "gdbus",
                "monitor",
                "--session",
                "--dest",
                "de.pengutronix.rauc",
                "--object-path",
                "/"),
            null);
    try {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8));
      // gdbus prints one line once it watches the name; only then can no signal be missed.
      String first = lines.readLine();
      if (first == null) {
        throw new IllegalStateException("gdbus monitor ended at once");
      }
      run(
          List.of(
              "gdbus",
              "call",
              "--session",
              "--dest",
              "de.pengutronix.rauc",
              "--object-path",
              "/",
              "--method",
              "de.pengutronix.rauc.Installer.InstallBundle",
              bundle.toString(),
              "{}"),
          "InstallBundle");
      String line;
      while ((line = lines.readLine()) != null) {
        Matcher m = COMPLETED.matcher(line);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
      throw new IllegalStateException("RAUC never signalled Completed: " + log());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      stop(monitor);
    }
  }

  /** RAUC's {@code LastError} (empty after a success). */
  public String lastError() {
    String out =
        run(
            List.of(
                "gdbus",
                "call",
                "--session",
                "--dest",
                "de.pengutronix.rauc",
                "--object-path",
                "/",
                "--method",
                "org.freedesktop.DBus.Properties.Get",
                "de.pengutronix.rauc.Installer",
                "LastError"),
            "LastError");
    Matcher m = Pattern.compile("<'(.*)'>").matcher(out);
    return m.find() ? m.group(1) : out.strip();
  }

  /** Restarts the service booted from the other slot: the one the installation wrote. */
  public void reboot() {
    stop(service);
    booted = booted.equals("A") ? "B" : "A";
    startService();
  }

  /** {@code rauc status --detailed --output-format=json}, through the service. */
  public JsonNode status() {
    try {
      return JSON.readTree(
          run(List.of("rauc", "status", "--detailed", "--output-format=json"), "rauc status"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The version of the bundle RAUC recorded for the booted slot, if it installed one there. */
  public Optional<String> bootedVersion() {
    for (JsonNode entry : status().path("slots")) {
      for (JsonNode slot : entry) {
        if (slot.path("state").asText().equals("booted")) {
          return Optional.ofNullable(
              slot.path("slot_status").path("bundle").path("version").asText(null));
        }
      }
    }
    return Optional.empty();
  }

  /** How many installations RAUC recorded, over all slots. */
  public long installations() {
    long count = 0;
    for (JsonNode entry : status().path("slots")) {
      for (JsonNode slot : entry) {
        count += slot.path("slot_status").path("installed").path("count").asLong(0);
      }
    }
    return count;
  }

  /** What the service logged. */
  public String log() {
    try {
      Path log = dir.resolve("service.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private String calls() {
    try {
      Path log = dir.resolve("calls.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private void startBus() {
    bus =
        spawn(
            List.of("dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"),
            null);
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(bus.getInputStream(), StandardCharsets.UTF_8));
      busAddress = out.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (busAddress == null || busAddress.isBlank()) {
      throw new IllegalStateException("dbus-daemon printed no address");
    }
  }

  private void startService() {
    service =
        spawn(
            List.of("rauc", "service", "--conf=" + conf, "--override-boot-slot=" + booted),
            dir.resolve("service.log"));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!service.isAlive()) {
                throw new IllegalStateException("rauc service exited: " + log());
              }
              return attempt(
                      List.of(
                          "gdbus",
                          "call",
                          "--session",
                          "--dest",
                          "de.pengutronix.rauc",
                          "--object-path",
                          "/",
                          "--method",
                          "org.freedesktop.DBus.Properties.Get",
                          "de.pengutronix.rauc.Installer",
                          "Operation"))
                  == 0;
            });
  }

  private Map<String, String> env() {
    return Map.of(
        "DBUS_SESSION_BUS_ADDRESS",
        busAddress == null ? "" : busAddress,
        "DBUS_STARTER_BUS_TYPE",
        "session");
  }

  private Process spawn(List<String> command, Path output) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env());
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    if (output != null) {
      builder
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    } else {
      builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.getFirst(), e);
    }
  }

  private int attempt(List<String> command) {
    Process p = spawn(command, dir.resolve("calls.log"));
    try {
      if (!p.waitFor(STEP.toMillis(), TimeUnit.MILLISECONDS)) {
        stop(p);
        return -1;
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private String run(List<String> command, String what) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env());
    // stdout only (JSON); what programs log goes to calls.log.
    builder.redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("calls.log").toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    try {
      Process p = builder.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(STEP.toMillis(), TimeUnit.MILLISECONDS)) {
        stop(p);
        throw new IllegalStateException(what + " did not finish");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            what + " failed (exit " + p.exitValue() + "): " + text + " " + calls());
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + what, e);
    }
  }

  private static void stop(Process p) {
    if (p == null || !p.isAlive()) {
      return;
    }
    List<ProcessHandle> children = new ArrayList<>(p.descendants().toList());
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public void close() {
    stop(service);
    stop(bus);
  }
}
