package dev.sluice.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx (Debian's {@code nginx-light}) run by a test in the foreground with its own prefix
 * directory, configuration and port. Missing nginx skips the test on a developer machine and fails
 * it in CI ({@code CI} set) or with {@code SLUICE_NGINX_REQUIRED=true}.
 */
public final class Nginx implements AutoCloseable {
  private final Process process;
  private final Path prefix;
  public final int port;

  private Nginx(Process process, Path prefix, int port) {
    this.process = process;
    this.prefix = prefix;
    this.port = port;
  }

  /** The nginx binary, or a skip / failure saying how to install it. */
  public static Path binary() {
    return RequiredTool.at(
        List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx")),
        "nginx-light",
        "SLUICE_NGINX_REQUIRED");
  }

  /** A free TCP port on the loopback address (for nginx's listener). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts nginx with {@code httpBlock} as the body of its {@code http { }} block, listening on
   * {@code port} (the block's {@code listen} directive must use it). Returns once the port accepts
   * connections.
   */
  public static Nginx start(Path prefix, int port, String httpBlock) {
    Path binary = binary();
    try {
      Files.createDirectories(prefix.resolve("logs"));
      Files.createDirectories(prefix.resolve("temp"));
      String conf =
          """
          daemon off;
          master_process on;
          worker_processes 1;
          user root;
          pid %1$s/nginx.pid;
          error_log %1$s/logs/error.log info;
          events { worker_connections 512; }
          http {
            access_log %1$s/logs/access.log;
            client_body_temp_path %1$s/temp/body;
            proxy_temp_path %1$s/temp/proxy;
            fastcgi_temp_path %1$s/temp/fastcgi;
            uwsgi_temp_path %1$s/temp/uwsgi;
            scgi_temp_path %1$s/temp/scgi;
          %2$s
          }
          """
              .formatted(prefix, httpBlock);
      Path confFile = prefix.resolve("nginx.conf");
      Files.writeString(confFile, conf, StandardCharsets.UTF_8);
      Process process =
          new ProcessBuilder(binary.toString(), "-p", prefix.toString(), "-c", confFile.toString())
              .redirectErrorStream(true)
              .redirectOutput(prefix.resolve("logs/stdout.log").toFile())
              .start();
      Nginx nginx = new Nginx(process, prefix, port);
      nginx.awaitListening(Duration.ofSeconds(20));
      return nginx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitListening(Duration timeout) throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nginx exited at start:\n" + logs());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.onSpinWait();
          process.waitFor(50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    throw new IllegalStateException("nginx did not listen on " + port + ":\n" + logs());
  }

  /** nginx's error and stdout logs, for failure messages. */
  public String logs() {
    try {
      StringBuilder out = new StringBuilder();
      for (String name : List.of("logs/error.log", "logs/stdout.log")) {
        Path file = prefix.resolve(name);
        if (Files.exists(file)) {
          out.append("--- ").append(name).append('\n').append(Files.readString(file));
        }
      }
      return out.toString();
    } catch (IOException e) {
      return "(logs unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
