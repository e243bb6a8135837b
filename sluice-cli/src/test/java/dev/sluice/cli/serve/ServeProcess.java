package dev.sluice.cli.serve;

import static org.awaitility.Awaitility.await;

import dev.sluice.server.testing.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A real {@code sluice serve} in its own JVM, started from the shaded jar that {@code mvnw verify}
 * builds before the integration tests, for the tests that kill servers: a fixed port (kept across
 * restarts), a new log file per start ({@code NAME-1.log}, {@code NAME-2.log}, ...), SIGKILL on
 * demand, and the tail of its log for failure messages.
 */
final class ServeProcess implements AutoCloseable {
  static final Path JAR = Path.of("target", "sluice.jar");

  /**
   * A start takes about a second on a quiet machine and has taken over a minute on one shared by
   * eight builds; the limit only turns a hang into a failure.
   */
  private static final Duration START_LIMIT = Duration.ofMinutes(3);

  private final String name;
  private final Path logDir;
  private final int port;
  private final List<String> jvmOptions;
  private final List<String> serveOptions;
  private final Http http;
  private Process process;
  private Path log;
  private int starts;

  /**
   * @param name names the log files and failure messages
   * @param logDir where the log files go
   * @param jvmOptions options of the JVM besides the heap and JIT settings every one gets
   * @param serveOptions options of {@code sluice serve} besides {@code --port}
   */
  ServeProcess(
      String name, Path logDir, int port, List<String> jvmOptions, List<String> serveOptions) {
    this.name = Objects.requireNonNull(name, "name");
    this.logDir = Objects.requireNonNull(logDir, "logDir");
    this.port = port;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.serveOptions = List.copyOf(serveOptions);
    this.http = new Http(base());
  }

  /** A port free on the loopback address now. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the server and waits until it answers its health check. */
  ServeProcess start() {
    return launch().awaitReady();
  }

  /** Starts the server without waiting for it ({@link #awaitReady}), to start several at once. */
  ServeProcess launch() {
    if (alive()) {
      throw new IllegalStateException(name + " is already running");
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toString(), "serve"));
    command.addAll(serveOptions);
    command.addAll(List.of("--port", Integer.toString(port)));
    log = logDir.resolve(name + "-" + (++starts) + ".log");
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    return this;
  }

  /**
   * Waits until the server launched last is ready ({@code /api/v1/ready}: its transparency log
   * started and its keys open, which happens after it answers its health check); fails if it exits.
   */
  ServeProcess awaitReady() {
    Process started = Objects.requireNonNull(process, "not launched");
    await()
        .atMost(START_LIMIT)
        .pollInterval(Duration.ofMillis(25))
        .ignoreExceptions()
        .failFast(name + " exited while starting:\n" + tail(40), () -> !started.isAlive())
        .until(() -> http.get("/api/v1/ready", null).status() == 200);
    return this;
  }

  /** SIGKILL, as a crash or an OOM killer would; returns once the process is gone. */
  void kill() {
    Process victim = Objects.requireNonNull(process, "not launched");
    victim.destroyForcibly();
    try {
      victim.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing " + name, e);
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A client talking to this instance directly. */
  Http http() {
    return http;
  }

  /** The log file of the latest start. */
  Path log() {
    return log;
  }

  /** The last {@code lines} lines of the latest start's log. */
  String tail(int lines) {
    if (log == null || !Files.exists(log)) {
      return "(" + name + " has no log)";
    }
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(" + name + "'s log " + log + " is unreadable: " + e + ")";
    }
  }

  /** Kills the process if it runs and waits (briefly) for it to be gone. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return name + " (port " + port + ")";
  }
}
