package dev.sluice.server;

import dev.sluice.server.api.AuditEndpoints;
import dev.sluice.server.api.Authenticator;
import dev.sluice.server.api.CatalogEndpoints;
import dev.sluice.server.api.CredentialEndpoints;
import dev.sluice.server.api.DeviceEndpoints;
import dev.sluice.server.api.OpenApiEndpoint;
import dev.sluice.server.api.PublicEndpoints;
import dev.sluice.server.api.ReleaseEndpoints;
import dev.sluice.server.api.RolloutEndpoints;
import dev.sluice.server.api.StatusNoteEndpoints;
import dev.sluice.server.ddi.ActionEndpoints;
import dev.sluice.server.ddi.DeviceApi;
import dev.sluice.server.health.HealthEndpoints;
import dev.sluice.server.health.ReadinessCheck;
import dev.sluice.server.http.Draining;
import dev.sluice.server.http.Problems;
import dev.sluice.server.http.Route;
import dev.sluice.server.http.Router;
import dev.sluice.server.http.Starting;
import dev.sluice.server.http.StorageHealth;
import dev.sluice.server.log.LogEndpoints;
import dev.sluice.server.metrics.MetricsEndpoint;
import dev.sluice.server.metrics.ServerMetrics;
import dev.sluice.server.rollout.WebhookHosts;
import dev.sluice.server.tuf.OfflineSigningEndpoints;
import dev.sluice.server.tuf.TufEndpoints;
import dev.sluice.server.web.LoggedPolicySource;
import dev.sluice.server.web.Web;
import dev.sluice.store.stats.FleetStatistics;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * The last layer: every route registered on one {@link Router} with the access it demands, the web
 * pages in front of it, metrics, and the Undertow listener, which binds the port only on {@link
 * #listen()}. Closing answers new requests 503, lets requests in flight finish for up to the
 * shutdown grace period, then stops the listener.
 */
final class ServerHttp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServerHttp.class);
  private static final long MAX_REQUEST_BODY = 8L << 20;
  private static final int POOLED_BUFFERS = 1024;

  final Router router;
  final DeviceApi ddi;
  final Web web;
  private final String host;
  private volatile int port;
  private volatile boolean listening;
  private final ServerMetrics metrics;
  private final Draining draining;
  private final Undertow undertow;
  private final Duration shutdownGrace;

  ServerHttp(
      ServerConfig config,
      ServerStorage storage,
      ServerServices s,
      ExecutorService blocking,
      Clock clock,
      FinishingStart finishing,
      Duration startingBound) {
    var transactions = storage.transactions;
    // One view of the disk: a write failing for lack of space shows in /api/v1/ready.
    StorageHealth storageHealth = new StorageHealth(storage.dataDir, storage.blobs, clock);
    Problems problems = new Problems(storageHealth);
    this.metrics = new ServerMetrics(clock);
    this.ddi =
        new DeviceApi(
            config.ddi(),
            transactions,
            storage.deviceWrites(),
            s.actions,
            s.pollCache,
            s.tokens,
            storage.blobs,
            problems,
            clock,
            transactions::readWithoutWaiting);
    this.router =
        new Router(
            problems,
            blocking,
            (method, template, handler) ->
                dev.sluice.server.logging.AccessLog.routed(
                    template, metrics.instrument(method, template, handler)),
            new Router.Gates(
                Optional.of(new Authenticator(s.tokens)::principal), Optional.of(ddi.gate())));
    WebhookHosts webhookHosts = new WebhookHosts(config.webhookHosts());

    new HealthEndpoints(
            storageHealth,
            new Authenticator(s.tokens),
            List.of(
                new ReadinessCheck("log_starting", finishing::notReady),
                new ReadinessCheck("keys_opening", s.tufKeysOpening::notReady)))
        .register(router);
    new OpenApiEndpoint().register(router);
    new CatalogEndpoints(s.products, s.tokens, s.policies).register(router);
    new ReleaseEndpoints(s.releases, s.certification, s.products, s.policies).register(router);
    new AuditEndpoints(s.audit).register(router);
    new DeviceEndpoints(s.devices).register(router);
    new PublicEndpoints(s.products, s.policies, s.releases, s.certification, s.log)
        .register(router);
    new LogEndpoints(s.log).register(router);
    new TufEndpoints(transactions, s.tuf, s.publications, storage.blobs).register(router);
    new OfflineSigningEndpoints(s.offlineSigning).register(router);
    ddi.endpoints().register(router);
    new CredentialEndpoints(
            s.tokens, s.deviceCredentials, s.pollCache::invalidate, s.pollCache::forgetGateway)
        .register(router);
    new ActionEndpoints(transactions, s.actions, s.pollCache, clock).register(router);
    new RolloutEndpoints(s.rollouts, webhookHosts).register(router);
    new StatusNoteEndpoints(s.notes).register(router);
    new MetricsEndpoint(metrics).register(router);

    metrics.bindDatabase(storage.database);
    metrics.bindPollCache(s.pollCache);
    metrics.bindFleet(new FleetStatistics(storage.database));
    metrics.bindLog(s.log);
    metrics.bindTuf(
        () ->
            transactions.read(repos -> s.tuf.hasRoot(repos) ? s.tuf.reader().status(repos) : null));

    // The transparency portal and the operator console (dev.sluice.server.web).
    this.web =
        new Web(
            new Web.Services(
                s.products,
                s.releases,
                s.certification,
                s.notes,
                s.audit,
                s.tokens,
                s.devices,
                s.rollouts,
                s.log,
                transactions),
            new LoggedPolicySource(s.policies, s.products, transactions),
            blocking,
            clock);
    // Requests in flight are counted so that close() can let them finish (a grace period). Until
    // the start has finished (the log's key open), requests but the probes wait for it.
    this.draining =
        new Draining(
            new Starting(
                web.handler(router.handler()),
                problems,
                finishing.done(),
                startingBound,
                Set.of(HealthEndpoints.HEALTH, HealthEndpoints.READY)),
            problems);
    this.undertow = listener(config, draining);
    this.host = config.host();
    this.shutdownGrace = config.http().shutdownGrace();
  }

  /** Binds the port and starts answering. */
  void listen() {
    undertow.start();
    listening = true;
    this.port = ((InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress()).getPort();
    // Off the path to the port: the JVM meters load JMX and java.lang.management.
    metrics.bindJvm();
    LOG.info("sluice listening on http://{}:{}", host, port);
  }

  /** The port listened on; 0 before {@link #listen()}. */
  int port() {
    return port;
  }

  List<Route> routes() {
    return router.routes();
  }

  private static Undertow listener(ServerConfig config, Draining handler) {
    HttpLimits limits = config.http();
    return Undertow.builder()
        .addHttpListener(config.port(), config.host())
        .setServerOption(UndertowOptions.ALWAYS_SET_DATE, true)
        // Bodies are small JSON or manifests; artifact uploads lift this per request.
        .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, MAX_REQUEST_BODY)
        .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, false)
        // Slow and stalled clients (docs/security.md, "Limits and timeouts").
        .setServerOption(UndertowOptions.MAX_HEADER_SIZE, limits.maxHeaderBytes())
        .setServerOption(
            UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) limits.requestHeaderTimeout().toMillis())
        .setServerOption(
            UndertowOptions.NO_REQUEST_TIMEOUT, (int) limits.keepAliveTimeout().toMillis())
        .setSocketOption(Options.READ_TIMEOUT, (int) limits.bodyStallTimeout().toMillis())
        .setSocketOption(Options.WRITE_TIMEOUT, (int) limits.bodyStallTimeout().toMillis())
        .setSocketOption(Options.CONNECTION_HIGH_WATER, limits.maxConnections())
        .setSocketOption(Options.CONNECTION_LOW_WATER, limits.maxConnections())
        .setByteBufferPool(bufferPool())
        .setHandler(new dev.sluice.server.logging.AccessLog(handler))
        .build();
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

  /**
   * Answers new requests 503 (closing their connections), lets requests in flight (a download, an
   * upload) finish for up to the shutdown grace period, then closes the listener.
   */
  @Override
  public void close() {
    if (!listening) {
      metrics.close();
      return;
    }
    try {
      if (!draining.drain(shutdownGrace)) {
        LOG.warn(
            "requests still in flight after the shutdown grace period of {}; closing them",
            shutdownGrace);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    undertow.stop();
    metrics.close();
  }
}
