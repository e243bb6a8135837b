package dev.sluice.server;

import dev.sluice.core.action.ActionService;
import dev.sluice.core.audit.AuditService;
import dev.sluice.core.auth.TokenService;
import dev.sluice.core.certification.CertificationService;
import dev.sluice.core.device.DeviceCredentials;
import dev.sluice.core.device.DeviceService;
import dev.sluice.core.policy.PolicyService;
import dev.sluice.core.product.ProductService;
import dev.sluice.core.publication.OfflineSigning;
import dev.sluice.core.publication.PublicationService;
import dev.sluice.core.release.ReleaseService;
import dev.sluice.core.rollout.RolloutCounters;
import dev.sluice.core.rollout.RolloutEvaluator;
import dev.sluice.core.rollout.RolloutService;
import dev.sluice.core.standards.StandardsEngine;
import dev.sluice.core.tlog.LogCorruptedException;
import dev.sluice.core.tlog.LogIdentityException;
import dev.sluice.core.tlog.Scheduler;
import dev.sluice.core.tlog.TransparencyLog;
import dev.sluice.core.tuf.TufRepository;
import dev.sluice.server.api.Authenticator;
import dev.sluice.server.api.CredentialEndpoints;
import dev.sluice.server.api.ManagementApi;
import dev.sluice.server.api.PublicEndpoints;
import dev.sluice.server.api.RolloutEndpoints;
import dev.sluice.server.ddi.ActionEndpoints;
import dev.sluice.server.ddi.DdiEndpoints;
import dev.sluice.server.ddi.PollCache;
import dev.sluice.server.health.HealthEndpoints;
import dev.sluice.server.health.StorageHealth;
import dev.sluice.server.http.Draining;
import dev.sluice.server.http.Problems;
import dev.sluice.server.http.Route;
import dev.sluice.server.http.Router;
import dev.sluice.server.log.LogEndpoints;
import dev.sluice.server.log.LogKeys;
import dev.sluice.server.metrics.MetricsEndpoint;
import dev.sluice.server.metrics.ServerMetrics;
import dev.sluice.server.rollout.HttpGateCheck;
import dev.sluice.server.rollout.RolloutScheduler;
import dev.sluice.server.rollout.WebhookHosts;
import dev.sluice.server.tuf.OfflineSigningEndpoints;
import dev.sluice.server.tuf.TimestampRefresher;
import dev.sluice.server.tuf.TufEndpoints;
import dev.sluice.server.tuf.TufKeys;
import dev.sluice.store.GroupCommit;
import dev.sluice.store.JdbiTransactions;
import dev.sluice.store.db.Database;
import dev.sluice.store.maintenance.DataCheck;
import dev.sluice.store.stats.FleetStatistics;
import dev.sluice.trust.tlog.NoteSigner;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * A running Sluice server. {@link #start} wires every object by hand (no container): database, blob
 * store, domain services, the transparency log and its sequencer, HTTP routes. On the very first
 * start it creates an admin token, writes it to {@code DATA/admin.token} (mode 0600) and exposes it
 * once via {@link #bootstrapAdminToken()}, and creates the log key {@code DATA/keys/log.key}
 * (encrypted, see {@link LogKeys}).
 */
public final class SluiceServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SluiceServer.class);
  private static final long MAX_REQUEST_BODY = 8L << 20;

  private final Database database;
  private static final int POOLED_BUFFERS = 1024;
  private final Undertow undertow;
  private final ExecutorService blocking;
  private final ScheduledExecutorService sequencing;
  private final TransparencyLog log;
  private final int port;
  private final String host;
  private final Optional<String> bootstrapAdminToken;
  private final List<Route> routes;
  private final PublicationService publications;
  private final TimestampRefresher refresher;
  private final ScheduledExecutorService ddiJobs;
  private final DdiEndpoints ddi;
  private final ActionService actions;
  private final ScheduledExecutorService rolloutJobs;
  private final RolloutScheduler rollouts;
  private final GroupCommit deviceWrites;
  private final ServerMetrics metrics;
  private Draining draining;
  private dev.sluice.store.blob.ManagedBlobStore blobStore;
  private dev.sluice.server.publication.UnfinishedPublications unfinishedPublications;
  private java.time.Duration shutdownGrace = java.time.Duration.ZERO;

  private SluiceServer(
      Database database,
      Undertow undertow,
      ExecutorService blocking,
      ScheduledExecutorService sequencing,
      TransparencyLog log,
      String host,
      int port,
      Optional<String> bootstrapAdminToken,
      List<Route> routes,
      PublicationService publications,
      TimestampRefresher refresher,
      ScheduledExecutorService ddiJobs,
      DdiEndpoints ddi,
      ActionService actions,
      ScheduledExecutorService rolloutJobs,
      RolloutScheduler rollouts,
      GroupCommit deviceWrites,
      ServerMetrics metrics) {
    this.database = database;
    this.undertow = undertow;
    this.blocking = blocking;
    this.sequencing = sequencing;
    this.log = log;
    this.host = host;
    this.port = port;
    this.bootstrapAdminToken = bootstrapAdminToken;
    this.routes = routes;
    this.publications = publications;
    this.refresher = refresher;
    this.ddiJobs = ddiJobs;
    this.ddi = ddi;
    this.actions = actions;
    this.rolloutJobs = rolloutJobs;
    this.rollouts = rollouts;
    this.deviceWrites = deviceWrites;
    this.metrics = metrics;
  }

  public static SluiceServer start(ServerConfig config) {
    // The database keeps instants in milliseconds; a clock that ticks in milliseconds means what
    // the services return equals what is read back later.
    return start(config, Clock.tick(Clock.systemUTC(), java.time.Duration.ofMillis(1)));
  }

  public static SluiceServer start(ServerConfig config, Clock clock) {
    requirePortFree(config.host(), config.port());
    Path dataDir = config.dataDir().toAbsolutePath();
    try {
      // The data directory holds the admin token, keys and the database: 0700 (issue 10 item 16).
      dev.sluice.store.files.PrivateFiles.directory(dataDir);
      dev.sluice.store.files.PrivateFiles.directory(dataDir.resolve("keys"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
    }
    ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    // Opening the log key derives its encryption key (PBKDF2, ~0.3 s of CPU): do it while the
    // database opens and migrates.
    CompletableFuture<NoteSigner> logKeyOpening =
        CompletableFuture.supplyAsync(
            () ->
                LogKeys.loadOrCreate(
                    dataDir,
                    config.logOrigin(),
                    config.keyPassphraseFile(),
                    Optional.ofNullable(System.getenv(LogKeys.PASSPHRASE_ENV))),
            blocking);
    Database database;
    try {
      database = Database.open(config.effectiveDatabaseUrl());
    } catch (RuntimeException e) {
      blocking.shutdownNow();
      throw e;
    }
    ScheduledExecutorService sequencing =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sluice-log-sequencer").daemon().factory());
    ScheduledExecutorService ddiJobs =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sluice-ddi-jobs").daemon().factory());
    ScheduledExecutorService rolloutJobs =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sluice-rollouts").daemon().factory());
    TransparencyLog log = null;
    GroupCommit deviceWrites = null;
    try {
      dev.sluice.store.blob.ManagedBlobStore blobs =
          config.blobStore().open(dataDir.resolve("blobs"), true);
      JdbiTransactions transactions = new JdbiTransactions(database);
      transactions.onCommittedAudit(new dev.sluice.server.logging.AuditLines());
      // Devices' feedback and attribute writes are committed in groups (one fsync for many).
      deviceWrites = new GroupCommit(transactions);
      StandardsEngine engine = new StandardsEngine();
      ReleaseService releases = new ReleaseService(transactions, blobs, engine, clock);
      CertificationService certification = new CertificationService(transactions, clock);
      TokenService tokens = new TokenService(transactions, clock);
      AuditService audit = new AuditService(transactions);

      Optional<String> adminToken = tokens.bootstrapAdmin().map(TokenService.IssuedToken::secret);
      if (adminToken.isPresent()) {
        writeSecretFile(dataDir.resolve("admin.token"), adminToken.get() + "\n");
      }

      NoteSigner logKey = await(logKeyOpening);
      log =
          new TransparencyLog(
              transactions,
              logKey,
              clock,
              Scheduler.of(sequencing),
              TransparencyLog.DEFAULT_INTERVAL,
              e -> LOG.error("transparency log sequencing failed; retrying", e));
      try {
        log.start();
      } catch (LogIdentityException | LogCorruptedException e) {
        throw new StartupException(e.getMessage(), e);
      }
      PolicyService policies =
          new PolicyService(transactions, log, clock, PolicyService.DEFAULT_INTEGRATION_TIMEOUT);
      int migrated = policies.migrate();
      if (migrated > 0) {
        LOG.info("logged a first certification policy for {} existing product(s)", migrated);
      }
      ProductService products = new ProductService(transactions, engine, clock, policies);

      char[] passphrase =
          LogKeys.passphrase(
              dataDir,
              config.keyPassphraseFile(),
              Optional.ofNullable(System.getenv(LogKeys.PASSPHRASE_ENV)),
              false);
      TufKeys tufKeys = new TufKeys(dataDir, passphrase);
      byte[] derivationSecret = DeviceService.derivationSecret(passphrase);
      java.util.Arrays.fill(passphrase, '\0');
      TufRepository tuf =
          new TufRepository(tufKeys, clock, config.tufExpiry(), config.tufOfflineTargetsExpiry());
      PublicationService publications =
          new PublicationService(
              transactions,
              log,
              tuf,
              clock,
              PublicationService.DEFAULT_INTEGRATION_TIMEOUT,
              policies);
      resumePublications(publications);
      TimestampRefresher refresher =
          new TimestampRefresher(transactions, tuf, Scheduler.of(sequencing));
      refresher.start();

      StorageHealth storage = new StorageHealth(dataDir, blobs, clock);
      ServerMetrics metrics = new ServerMetrics(clock);
      metrics.bindDatabase(database);
      Router router =
          new Router(
              new Problems(storage),
              blocking,
              (method, template, handler) ->
                  dev.sluice.server.logging.AccessLog.routed(
                      template, metrics.instrument(method, template, handler)));
      new HealthEndpoints(storage, new Authenticator(tokens)).register(router);
      DeviceService devices = new DeviceService(transactions, clock, derivationSecret);
      java.util.Arrays.fill(derivationSecret, (byte) 0);
      new ManagementApi(products, releases, certification, audit, tokens, devices, policies)
          .register(router);
      new PublicEndpoints(products, policies, releases, certification, log).register(router);
      new LogEndpoints(log).register(router);
      new TufEndpoints(transactions, tuf, publications, blobs, new Authenticator(tokens))
          .register(router);
      new OfflineSigningEndpoints(
              new OfflineSigning(transactions, tuf, clock), new Authenticator(tokens))
          .register(router);
      PollCache pollCache = DdiEndpoints.newCache(config.ddi(), clock);
      // Every action status change updates its rollout stage's counters in the same transaction.
      ActionService actionService = new ActionService(new RolloutCounters(), pollCache::invalidate);
      DdiEndpoints ddi =
          new DdiEndpoints(
              config.ddi(),
              transactions,
              deviceWrites,
              actionService,
              pollCache,
              tokens,
              blobs,
              clock);
      ddi.register(router);
      new CredentialEndpoints(
              tokens,
              new DeviceCredentials(transactions, clock),
              new Authenticator(tokens),
              pollCache::invalidate,
              pollCache::forgetGateway)
          .register(router);
      new ActionEndpoints(transactions, actionService, pollCache, new Authenticator(tokens), clock)
          .register(router);
      RolloutService rolloutService = new RolloutService(transactions, actionService, clock);
      WebhookHosts webhookHosts = new WebhookHosts(config.webhookHosts());
      new RolloutEndpoints(rolloutService, new Authenticator(tokens), webhookHosts)
          .register(router);
      RolloutScheduler rollouts =
          new RolloutScheduler(
              new RolloutEvaluator(
                  transactions,
                  actionService,
                  new HttpGateCheck(webhookHosts),
                  clock,
                  "sluice-" + java.util.UUID.randomUUID(),
                  (id, e) -> LOG.error("evaluating rollout {} failed; retrying", id, e)),
              Scheduler.of(rolloutJobs),
              config.rolloutInterval());
      rollouts.start();
      metrics.bindPollCache(pollCache);
      metrics.bindFleet(new FleetStatistics(database));
      metrics.bindLog(log);
      metrics.bindTuf(
          () -> transactions.read(repos -> tuf.hasRoot(repos) ? tuf.status(repos) : null));
      new MetricsEndpoint(metrics, new Authenticator(tokens)).register(router);
      // The transparency portal and the operator console (dev.sluice.server.web).
      dev.sluice.core.release.StatusNotes notes =
          new dev.sluice.core.release.StatusNotes(transactions, clock);
      new dev.sluice.server.api.StatusNoteEndpoints(notes, new Authenticator(tokens))
          .register(router);
      dev.sluice.server.web.Web web =
          new dev.sluice.server.web.Web(
              new dev.sluice.server.web.Web.Services(
                  products,
                  releases,
                  certification,
                  notes,
                  audit,
                  tokens,
                  devices,
                  rolloutService,
                  log,
                  transactions),
              new dev.sluice.server.web.LoggedPolicySource(policies, products, transactions),
              blocking,
              clock);
      long flush = config.ddi().lastSeenFlush().toMillis();
      ddiJobs.scheduleWithFixedDelay(
          ddi.lastSeen()::runScheduled, flush, flush, TimeUnit.MILLISECONDS);
      ddiJobs.scheduleWithFixedDelay(ddi::prune, 1, 1, TimeUnit.MINUTES);
      // Blobs no release references (failed or concurrent uploads), once an hour (issue 10).
      DataCheck blobGc = new DataCheck(database, blobs);
      ddiJobs.scheduleWithFixedDelay(
          () -> collectBlobs(blobGc, blobs, clock), 5, 60, TimeUnit.MINUTES);
      // Other servers' changes to devices (the change feed) reach this server's poll cache.
      ddi.changes().runScheduled();
      ddiJobs.scheduleWithFixedDelay(ddi.changes()::runScheduled, 1, 1, TimeUnit.SECONDS);

      HttpLimits limits = config.http();
      // Requests in flight are counted so that close() can let them finish (a grace period).
      Draining draining = new Draining(web.handler(router.handler()), router.problems());
      Undertow undertow =
          Undertow.builder()
              .addHttpListener(config.port(), config.host())
              .setServerOption(UndertowOptions.ALWAYS_SET_DATE, true)
              // Bodies are small JSON or manifests; artifact uploads lift this per request.
              .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, MAX_REQUEST_BODY)
              .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, false)
              // Slow and stalled clients (docs/security.md, "Limits and timeouts").
              .setServerOption(UndertowOptions.MAX_HEADER_SIZE, limits.maxHeaderBytes())
              .setServerOption(
                  UndertowOptions.REQUEST_PARSE_TIMEOUT,
                  (int) limits.requestHeaderTimeout().toMillis())
              .setServerOption(
                  UndertowOptions.NO_REQUEST_TIMEOUT, (int) limits.keepAliveTimeout().toMillis())
              .setSocketOption(Options.READ_TIMEOUT, (int) limits.bodyStallTimeout().toMillis())
              .setSocketOption(Options.WRITE_TIMEOUT, (int) limits.bodyStallTimeout().toMillis())
              .setSocketOption(Options.CONNECTION_HIGH_WATER, limits.maxConnections())
              .setSocketOption(Options.CONNECTION_LOW_WATER, limits.maxConnections())
              .setByteBufferPool(bufferPool())
              .setHandler(new dev.sluice.server.logging.AccessLog(draining))
              .build();
      undertow.start();
      int boundPort =
          ((InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress()).getPort();
      LOG.info("sluice listening on http://{}:{}", config.host(), boundPort);
      SluiceServer server =
          new SluiceServer(
              database,
              undertow,
              blocking,
              sequencing,
              log,
              config.host(),
              boundPort,
              adminToken,
              router.routes(),
              publications,
              refresher,
              ddiJobs,
              ddi,
              actionService,
              rolloutJobs,
              rollouts,
              deviceWrites,
              metrics);
      server.draining = draining;
      server.blobStore = blobs;
      // What another instance started and did not finish (issue 15).
      server.unfinishedPublications =
          dev.sluice.server.publication.UnfinishedPublications.start(
              publications, clock, dev.sluice.server.publication.UnfinishedPublications.INTERVAL);
      server.shutdownGrace = limits.shutdownGrace();
      return server;
    } catch (RuntimeException e) {
      if (log != null) {
        log.close();
      }
      ddiJobs.shutdownNow();
      rolloutJobs.shutdownNow();
      sequencing.shutdownNow();
      blocking.shutdownNow();
      if (deviceWrites != null) {
        deviceWrites.close();
      }
      database.close();
      throw e;
    }
  }

  /**
   * Undertow's I/O buffers, pooled without per-thread caches. Undertow's default pool keeps a small
   * cache per thread that touches it; dispatched requests run on virtual threads, a new one per
   * request, so every request left a cache (with a finalizer and its own direct buffers) behind:
   * the server held tens of thousands of them and grew to gigabytes of RSS under load
   * (BENCHMARKS.md). One shared queue of at most {@value #POOLED_BUFFERS} 16 KiB direct buffers
   * serves all threads.
   */
  private static io.undertow.connector.ByteBufferPool bufferPool() {
    return new io.undertow.server.DefaultByteBufferPool(true, 16 * 1024, POOLED_BUFFERS, 0);
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  public int port() {
    return port;
  }

  public URI baseUri() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + port);
  }

  /** The admin token created on this data directory's first start; empty on later starts. */
  public Optional<String> bootstrapAdminToken() {
    return bootstrapAdminToken;
  }

  /** Every route the server answers (for the OpenAPI completeness test). */
  public List<Route> routes() {
    return routes;
  }

  /** The transparency log, for the publication flow and tests; its HTTP face is {@code /log/}. */
  public TransparencyLog transparencyLog() {
    return log;
  }

  /** Publishing and revoking releases (also at {@code /api/v1/releases/{id}/publish}). */
  public PublicationService publications() {
    return publications;
  }

  /** The job that re-signs the TUF timestamp before it expires. */
  public TimestampRefresher timestampRefresher() {
    return refresher;
  }

  /** The device API (its batched last-seen job, for tests: {@code ddi().lastSeen().runOnce()}). */
  public DdiEndpoints ddi() {
    return ddi;
  }

  /** The rollout evaluator's periodic job (tests call {@code rollouts().runOnce()}). */
  public RolloutScheduler rollouts() {
    return rollouts;
  }

  /** Device actions: assignments (used by rollouts), cancels, device feedback. */
  public ActionService actions() {
    return actions;
  }

  /**
   * Stops the server gracefully: answers new requests 503 (closing their connections), lets
   * requests in flight (a download, an upload) finish for up to the shutdown grace period, then
   * closes the listener and everything else.
   */
  @Override
  public void close() {
    drain();
    undertow.stop();
    unfinishedPublications.close();
    rollouts.close();
    stop(rolloutJobs);
    ddiJobs.shutdown();
    try {
      if (!ddiJobs.awaitTermination(10, TimeUnit.SECONDS)) {
        ddiJobs.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ddiJobs.shutdownNow();
    }
    ddi.lastSeen().runScheduled();
    deviceWrites.close();
    refresher.close();
    log.close();
    sequencing.shutdown();
    try {
      // A sequencer run in progress finishes its transaction before the pool closes.
      if (!sequencing.awaitTermination(10, TimeUnit.SECONDS)) {
        sequencing.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sequencing.shutdownNow();
    }
    blocking.shutdown();
    metrics.close();
    blobStore.close();
    database.close();
  }

  private void drain() {
    try {
      if (!draining.drain(shutdownGrace)) {
        LOG.warn(
            "requests still in flight after the shutdown grace period of {}; closing them",
            shutdownGrace);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for a running job to finish its transaction before the pool closes. */
  private static void stop(ScheduledExecutorService jobs) {
    jobs.shutdown();
    try {
      if (!jobs.awaitTermination(10, TimeUnit.SECONDS)) {
        jobs.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      jobs.shutdownNow();
    }
  }

  /**
   * Refuses to start, before anything is opened or created, when the port is taken: an operator who
   * started a second server by mistake gets one line, not a half-initialised data directory.
   */
  private static void requirePortFree(String host, int port) {
    if (port == 0) {
      return;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, port));
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

  private static void collectBlobs(
      DataCheck gc, dev.sluice.store.blob.ManagedBlobStore blobs, Clock clock) {
    try {
      gc.collectGarbage(DataCheck.DEFAULT_GRACE, clock.instant());
      // What crashed instances' uploads left (temp files, staged objects), never one in progress.
      blobs.removeAbandonedUploads(
          dev.sluice.store.blob.FileBlobStore.ABANDONED_AFTER, clock.instant());
    } catch (IOException | RuntimeException e) {
      LOG.warn("collecting unreferenced blobs failed; trying again in an hour", e);
    }
  }

  /** Finishes publications and revocations that a crash or a timeout left half done. */
  private static void resumePublications(PublicationService publications) {
    try {
      int resumed = publications.resumeUnfinished();
      if (resumed > 0) {
        LOG.info("finished {} interrupted publication(s)", resumed);
      }
    } catch (RuntimeException e) {
      LOG.error("could not finish interrupted publications; they resume on the next attempt", e);
    }
  }

  private static void writeSecretFile(Path target, String content) {
    try {
      Path temp =
          Files.createTempFile(
              target.getParent(),
              ".admin-token",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, content, StandardCharsets.US_ASCII, StandardOpenOption.SYNC);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
