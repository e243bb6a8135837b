package dev.sluice.server;

import dev.sluice.core.action.ActionService;
import dev.sluice.core.key.SealedKeys;
import dev.sluice.core.publication.PublicationService;
import dev.sluice.core.rollout.RolloutEvaluator;
import dev.sluice.core.rollout.RolloutPorts;
import dev.sluice.core.tlog.TransparencyLog;
import dev.sluice.server.ddi.DeviceApi;
import dev.sluice.server.http.Route;
import dev.sluice.server.jobs.Jobs;
import dev.sluice.server.jobs.PeriodicJob;
import dev.sluice.server.keys.OnlineKeyVault;
import dev.sluice.server.publication.UnfinishedPublications;
import dev.sluice.server.rollout.HttpGateCheck;
import dev.sluice.server.rollout.RolloutJob;
import dev.sluice.server.rollout.WebhookHosts;
import dev.sluice.server.tuf.TimestampRefresher;
import dev.sluice.store.blob.FileBlobStore;
import dev.sluice.store.blob.ManagedBlobStore;
import dev.sluice.store.maintenance.DataCheck;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Sluice server, assembled by hand (no container) in layers, each closed in the reverse
 * order: storage ({@link ServerStorage}: data directory, database, blobs) → services ({@link
 * ServerServices}: the domain, the transparency log, TUF) → jobs ({@link Jobs}: rollouts, TUF
 * refresh, device API upkeep, blob collection) → HTTP ({@link ServerHttp}: routes and the
 * listener). The port is bound before the transparency log's key is open: the log starts, then the
 * jobs, on a thread of their own ({@link FinishingStart}); until then {@code /api/v1/ready} answers
 * 503 and other requests wait (docs/ARCHITECTURE.md, "Health and readiness while the start
 * finishes"). On the very first start it creates an admin token, writes it to {@code
 * DATA/admin.token} (mode 0600) and exposes it once via {@link #bootstrapAdminToken()}, and creates
 * the online keys in the database (sealed under the key passphrase, see {@link OnlineKeyVault} and
 * {@link LogKeys}).
 */
public final class SluiceServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SluiceServer.class);

  /**
   * How long a request that arrives while the server finishes its start waits for it before it is
   * answered 503: the log key's derivation takes about half a second of a core.
   */
  public static final Duration STARTING_BOUND = Duration.ofSeconds(10);

  private final Deque<AutoCloseable> layers;
  private final ServerServices services;
  private final ServerHttp http;
  private final FinishingStart finishing;
  private final RolloutJob rollouts;
  private final TimestampRefresher refresher;
  private final String host;

  private SluiceServer(
      Deque<AutoCloseable> layers,
      ServerServices services,
      ServerHttp http,
      FinishingStart finishing,
      RolloutJob rollouts,
      TimestampRefresher refresher,
      String host) {
    this.layers = layers;
    this.services = services;
    this.http = http;
    this.finishing = finishing;
    this.rollouts = rollouts;
    this.refresher = refresher;
    this.host = host;
  }

  /**
   * Starts a server and returns once it is fully started: listening, its transparency log started
   * (see {@link #launch(ServerConfig, Clock)} for a start that returns as soon as it answers).
   *
   * @throws StartupException if it cannot start (port taken, wrong passphrase, another log's key)
   */
  public static SluiceServer start(ServerConfig config) {
    return start(config, systemClock());
  }

  /** {@link #start(ServerConfig)} with the given clock. */
  public static SluiceServer start(ServerConfig config, Clock clock) {
    SluiceServer server = launch(config, clock);
    try {
      server.awaitStarted();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * Starts a server and returns as soon as it listens, before its transparency log's key is open
   * (the key's PBKDF2 then runs beside the first requests, not before the port is bound). Until the
   * start has finished, {@code /api/v1/health} answers, {@code /api/v1/ready} answers 503 with the
   * reason, and every other request waits for it (at most {@link #STARTING_BOUND}, then 503); if it
   * fails (wrong passphrase, another log's key) the server answers 503 and {@link #awaitStarted()}
   * throws: the caller closes the server.
   *
   * @throws StartupException if it cannot start listening (port taken, unreadable data directory)
   */
  public static SluiceServer launch(ServerConfig config) {
    return launch(config, systemClock());
  }

  /** {@link #launch(ServerConfig)} with the given clock. */
  public static SluiceServer launch(ServerConfig config, Clock clock) {
    requirePortFree(config.host(), config.port());
    Path dataDir = ServerStorage.prepare(config);
    // Layers started so far, the newest first: a failed start closes them in that order.
    Deque<AutoCloseable> layers = new ArrayDeque<>();
    ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    layers.push(blocking::shutdown);
    try {
      ServerStorage storage = push(layers, ServerStorage.open(config, dataDir));
      ServerServices services;
      char[] passphrase = storage.keyPassphrase(config);
      try {
        // The online keys live in the database, sealed under the passphrase (issue 15).
        OnlineKeyVault vault =
            push(
                layers,
                new OnlineKeyVault(
                    new SealedKeys(storage.transactions),
                    dataDir.resolve("keys"),
                    passphrase,
                    clock));
        // The log key is opened (PBKDF2) when the transparency log starts, after the server
        // listens, on the thread that finishes the start.
        LogKeys.Opening logKey = LogKeys.openWhenAsked(vault, config.logOrigin());
        services =
            push(layers, new ServerServices(config, storage, vault, logKey, passphrase, clock));
      } finally {
        java.util.Arrays.fill(passphrase, '\0');
      }

      RolloutJob rollouts =
          new RolloutJob(
              new RolloutEvaluator(
                  storage.transactions,
                  services.actions,
                  new HttpGateCheck(new WebhookHosts(config.webhookHosts())),
                  clock,
                  "sluice-" + UUID.randomUUID(),
                  (id, e) -> LOG.error("evaluating rollout {} failed; retrying", id, e)));
      TimestampRefresher refresher = new TimestampRefresher(storage.transactions, services.tuf);
      DataCheck blobs = new DataCheck(storage.database, storage.blobs);
      // The jobs start once the log has started (below): none of them is needed to answer.
      Jobs jobs = push(layers, new Jobs());
      FinishingStart finishing = new FinishingStart();
      ServerHttp http =
          push(
              layers,
              new ServerHttp(
                  config, storage, services, blocking, clock, finishing, STARTING_BOUND));
      http.listen();
      // Closed first: a server closed while it finishes its start waits for that to end.
      push(layers, finishing);
      finishing.run(
          () -> {
            // Waits for the log key; a wrong passphrase or another log's key ends here.
            services.startLog();
            // The TUF role keys are opened in the background; /api/v1/ready answers 503 until then.
            services.tufKeysOpening.start();
            startJobs(config, storage, services, http, jobs, rollouts, refresher, blobs, clock);
          });
      return new SluiceServer(
          layers, services, http, finishing, rollouts, refresher, config.host());
    } catch (RuntimeException e) {
      closeAll(layers);
      throw e;
    }
  }

  private static Clock systemClock() {
    // The database keeps instants in milliseconds; a clock that ticks in milliseconds means what
    // the services return equals what is read back later.
    return Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
  }

  private static void startJobs(
      ServerConfig config,
      ServerStorage storage,
      ServerServices services,
      ServerHttp http,
      Jobs jobs,
      RolloutJob rollouts,
      TimestampRefresher refresher,
      DataCheck blobs,
      Clock clock) {
    jobs.start(rollouts.job(config.rolloutInterval()));
    jobs.start(refresher.job());
    // What another instance started and did not finish (issue 15).
    jobs.start(
        new UnfinishedPublications(services.publications, clock)
            .job(UnfinishedPublications.INTERVAL));
    // Blobs no release references (failed or concurrent uploads), once an hour (issue 10).
    jobs.start(
        PeriodicJob.every(
                Duration.ofHours(1), "blob-gc", () -> collectBlobs(blobs, storage.blobs, clock))
            .firstAfter(Duration.ofMinutes(5)));
    for (PeriodicJob job : http.ddi.jobs()) {
      jobs.start(job);
    }
    // Console sessions live in the database; every instance removes expired ones.
    for (PeriodicJob job : http.web.jobs()) {
      jobs.start(job);
    }
  }

  private static <T extends AutoCloseable> T push(Deque<AutoCloseable> layers, T layer) {
    layers.push(layer);
    return layer;
  }

  private static void collectBlobs(DataCheck gc, ManagedBlobStore blobs, Clock clock) {
    try {
      gc.collectGarbage(DataCheck.DEFAULT_GRACE, clock.instant());
      // What crashed instances' uploads left (temp files, staged objects), never one in progress.
      blobs.removeAbandonedUploads(FileBlobStore.ABANDONED_AFTER, clock.instant());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Refuses to start, before anything is opened or created, when the port is taken: an operator who
   * started a second server by mistake gets one line, not a half-initialised data directory. {@code
   * sluice serve} calls it before it writes anything to the data directory too.
   *
   * @throws StartupException if the port is taken or cannot be listened on
   */
  public static void requirePortFree(String host, int port) {
    if (port == 0) {
      return;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new java.net.InetSocketAddress(host, port));
    } catch (java.net.BindException e) {
      throw new StartupException(
          "port "
              + port
              + " on "
              + host
              + " is already in use (another Sluice?); stop what listens there or choose another"
              + " with --port (SLUICE_PORT)",
          e);
    } catch (IOException e) {
      throw new StartupException(
          "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** Closes layers newest first; one that fails to close does not keep the others open. */
  private static void closeAll(Deque<AutoCloseable> layers) {
    while (!layers.isEmpty()) {
      AutoCloseable layer = layers.pop();
      try {
        layer.close();
      } catch (Exception e) {
        LOG.error("closing {} failed", layer, e);
      }
    }
  }

  public int port() {
    return http.port();
  }

  public URI baseUri() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + http.port());
  }

  /** The admin token created on this data directory's first start; empty on later starts. */
  public Optional<String> bootstrapAdminToken() {
    return services.bootstrapAdminToken;
  }

  /** Every route the server answers, with the access it demands (the route table). */
  public List<Route> routes() {
    return http.routes();
  }

  /**
   * Waits until the start has finished (the transparency log started, the jobs running), what
   * {@link #start(ServerConfig)} does before it returns.
   *
   * @throws StartupException if the start failed (wrong passphrase, altered log key, a database
   *     whose log belongs to another key); the server answers 503 until it is closed
   */
  public void awaitStarted() {
    finishing.await();
  }

  /**
   * Waits at most {@code bound} for the online keys opened after the start (what {@code
   * /api/v1/ready} waits for).
   *
   * @throws dev.sluice.server.keys.OnlineKeyException if they could not be opened in time
   */
  public void awaitKeys(Duration bound) {
    services.tufKeysOpening.await(bound);
  }

  /** The transparency log, for the publication flow and tests; its HTTP face is {@code /log/}. */
  public TransparencyLog transparencyLog() {
    return services.log;
  }

  /** Publishing and revoking releases (also at {@code /api/v1/releases/{id}/publish}). */
  public PublicationService<?> publications() {
    return services.publications;
  }

  /** The job that re-signs the TUF timestamp before it expires. */
  public TimestampRefresher timestampRefresher() {
    return refresher;
  }

  /** The device API (tests: {@code ddi().lastSeen().runOnce()}, {@code ddi().changes()}). */
  public DeviceApi ddi() {
    return http.ddi;
  }

  /** The rollout evaluator's periodic job (tests call {@code rollouts().runOnce()}). */
  public RolloutJob rollouts() {
    return rollouts;
  }

  /** Device actions: assignments (used by rollouts), cancels, device feedback. */
  public ActionService<RolloutPorts> actions() {
    return services.actions;
  }

  /**
   * Stops the server gracefully, layer by layer in reverse: HTTP (new requests 503, requests in
   * flight finish within the shutdown grace period), the jobs (a run in progress finishes; the
   * device API's last-seen times are written), the services (the log sequencer), storage.
   */
  @Override
  public void close() {
    closeAll(layers);
  }
}
