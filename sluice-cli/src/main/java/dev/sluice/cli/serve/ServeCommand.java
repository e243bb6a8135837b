package dev.sluice.cli.serve;

import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.Terminal;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice serve}: runs a Sluice server until SIGTERM or SIGINT. */
@Command(
    name = "serve",
    description = {
      "Run a Sluice server in the foreground until interrupted (Ctrl-C or SIGTERM).",
      "On the first start it prints the admin token, also saved as DIR/admin.token (mode 0600)."
    })
public final class ServeCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = {
        "A YAML file of settings named like these options (port: 8080, db: jdbc:…); else env"
            + " SLUICE_CONFIG. Every option is also read from SLUICE_<OPTION> (SLUICE_PORT);"
            + " the command line wins over the environment, which wins over the file."
      })
  @InputFile
  private Path configFile;

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

  @Option(
      names = "--db-pool-size",
      paramLabel = "N",
      description = {
        "Database connections this instance pools, 1 to 200 (default: 10 on PostgreSQL, 8 on"
            + " SQLite). On PostgreSQL, every instance's pool counts against the server's"
            + " max_connections (docs/scale-out.md)."
      })
  private Integer databasePoolSize;

  @Option(
      names = "--log-origin",
      paramLabel = "ORIGIN",
      defaultValue = ServerConfig.DEFAULT_LOG_ORIGIN,
      description = {
        "The transparency log's origin, e.g. example.com/sluice (default: ${DEFAULT-VALUE}).",
        "Fixed on the first start: it names the log key (kept sealed in the database)."
      })
  private String logOrigin;

  @Option(
      names = "--key-passphrase-file",
      paramLabel = "FILE",
      description = {
        "File holding the passphrase of the online keys sealed in the database (else env",
        "SLUICE_KEY_PASSPHRASE; else, with SQLite only, one is generated into DIR/keys/passphrase,",
        "which production should not rely on; with PostgreSQL every instance must be given it)."
      })
  @InputFile
  private Path keyPassphraseFile;

  @Option(
      names = "--tuf-expiry",
      paramLabel = "ROLE=DURATION",
      description = {
        "How long a TUF role's metadata stays valid, e.g. timestamp=6h, snapshot=3d (units m, h,"
            + " d); repeatable. Defaults: root=365d, targets=90d, snapshot=7d, timestamp=1d."
            + " Online roles are re-signed at half their lifetime."
      })
  private java.util.Map<String, String> tufExpiry = new java.util.LinkedHashMap<>();

  @Option(
      names = "--tuf-offline-expiry",
      paramLabel = "DURATION",
      defaultValue = "365d",
      description = {
        "How long a product role signed offline stays valid (its key holder signs it; the server"
            + " cannot re-sign it); default ${DEFAULT-VALUE}."
      })
  private String tufOfflineExpiry;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text (date, zone, level, message) or json (one object per line, for a log"
              + " collector); default ${DEFAULT-VALUE}.")
  private LogSettings.Format logFormat;

  @Option(
      names = "--access-log",
      description =
          "Log one line per request: method, path (never the query), status, bytes, duration,"
              + " route.")
  private boolean accessLog;

  @Option(
      names = "--blob-store",
      paramLabel = "URL",
      description = {
        "Where artifacts are kept: DIR/blobs by default, or an S3-compatible bucket shared by every",
        "instance: s3://bucket/prefix?endpoint=https://host:9000&region=eu-west-1 (AWS: no",
        "endpoint). Credentials from --blob-store-credentials-file or AWS_ACCESS_KEY_ID and",
        "AWS_SECRET_ACCESS_KEY (or ~/.aws/credentials, an instance role); never in the URL."
      })
  private String blobStore;

  @Option(
      names = "--blob-store-credentials-file",
      paramLabel = "FILE",
      description = "File of access-key-id=... and secret-access-key=... lines for --blob-store.")
  @InputFile
  private Path blobStoreCredentials;

  /** Device API (hawkBit DDI) options. */
  @picocli.CommandLine.Mixin private DdiOptions ddi = new DdiOptions();

  /** HTTP limits and webhook hosts. */
  @picocli.CommandLine.Mixin private HttpOptions http = new HttpOptions();

  @Override
  public Integer call() throws InterruptedException {
    Terminal terminal = Terminal.of(spec);
    PrintWriter out = terminal.out();
    ServerConfig config;
    try {
      config =
          ServerConfig.builder(dataDir)
              .host(host)
              .port(port)
              .databaseUrl(Optional.ofNullable(databaseUrl))
              .databasePoolSize(
                  databasePoolSize == null
                      ? java.util.OptionalInt.empty()
                      : java.util.OptionalInt.of(databasePoolSize))
              .logOrigin(logOrigin)
              .keyPassphraseFile(Optional.ofNullable(keyPassphraseFile))
              .environment(System.getenv())
              .tufExpiry(TufExpiryOption.parse(tufExpiry))
              .tufOfflineTargetsExpiry(TufExpiryOption.duration(tufOfflineExpiry))
              .ddi(ddi.config())
              .http(http.limits())
              .webhookHosts(http.hosts())
              .blobStore(
                  dev.sluice.store.blob.BlobStoreConfig.parse(
                      Optional.ofNullable(blobStore), Optional.ofNullable(blobStoreCredentials)))
              .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    LogSettings.apply(logFormat, accessLog);
    if (config.databaseUrl().isEmpty()) {
      // Nothing is written to the data directory when another server holds the port.
      SluiceServer.requirePortFree(config.host(), config.port());
      SqliteNativeLibrary.keepIn(config.dataDir().resolve("native"));
    }
    // The server answers /api/v1/health as soon as it listens; its transparency log's key is opened
    // after that (/api/v1/ready answers 503 until it is). A start that fails then (wrong
    // passphrase, another log's key) ends the command as one that fails before listening does.
    try (ShutdownSignal signal = ShutdownSignal.install(config.http().shutdownGrace());
        SluiceServer server = SluiceServer.launch(config)) {
      server.awaitStarted();
      out.println("Sluice is serving at " + server.baseUri());
      out.println("transparency log key: " + server.transparencyLog().verifier().vkey());
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
      signal.await();
      terminal.err().println("stopping...");
    }
    terminal.err().println("stopped");
    return ExitCodes.OK;
  }
}
