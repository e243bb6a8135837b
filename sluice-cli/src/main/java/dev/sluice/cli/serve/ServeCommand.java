package dev.sluice.cli.serve;

import dev.sluice.cli.ExitCodes;
import dev.sluice.cli.Terminal;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice serve}: runs a Sluice server until SIGTERM or SIGINT. */
@Command(
    name = "serve",
    description = {
      "Run a Sluice server in the foreground until interrupted (Ctrl-C or SIGTERM).",
      "On the first start it prints the admin token, also saved as DIR/admin.token (mode 0600)."
    })
public final class ServeCommand implements Callable<Integer> {
  private static final long CLOSE_GRACE_SECONDS = 30;

  @Spec private CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "./sluice-data",
      description = "Data directory (default: ${DEFAULT-VALUE}).")
  private Path dataDir;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  private String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "Port to listen on, 0 for any free port (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      description = "A PostgreSQL JDBC URL; default: SQLite in the data directory.")
  private String databaseUrl;

  @Override
  public Integer call() throws InterruptedException {
    Terminal terminal = Terminal.of(spec);
    PrintWriter out = terminal.out();
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stopRequested.countDown();
              try {
                // The JVM halts when the hooks return: wait for the server to close cleanly.
                stopped.await(CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "sluice-serve-shutdown");
    ServerConfig config = new ServerConfig(dataDir, host, port, Optional.ofNullable(databaseUrl));
    try (SluiceServer server = SluiceServer.start(config)) {
      Runtime.getRuntime().addShutdownHook(hook);
      out.println("Sluice is serving at " + server.baseUri());
      server
          .bootstrapAdminToken()
          .ifPresent(
              token -> {
                out.println(
                    "admin token (shown once; also in " + dataDir.resolve("admin.token") + "):");
                out.println("  " + token);
                out.println(
                    "try: export SLUICE_TOKEN=$(cat "
                        + dataDir.resolve("admin.token")
                        + "); sluice whoami --server "
                        + server.baseUri());
              });
      out.flush();
      stopRequested.await();
      terminal.err().println("stopping...");
    } finally {
      stopped.countDown();
    }
    terminal.err().println("stopped");
    return ExitCodes.OK;
  }
}
