package dev.sluice.server.metrics;

import dev.sluice.core.action.ActionStatus;
import dev.sluice.core.device.DeviceStatus;
import dev.sluice.core.rollout.RolloutState;
import dev.sluice.core.tlog.TransparencyLog;
import dev.sluice.core.tuf.TufStatus;
import dev.sluice.server.ddi.PollCache;
import dev.sluice.store.db.Database;
import dev.sluice.store.stats.FleetStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's metrics, exposed in the Prometheus text format at {@code /metrics}: HTTP requests by
 * route and status, poll cache hits and misses, devices, actions and rollouts by state, the
 * transparency log's size and sequencing backlog, the TUF metadata's time to expiry, the database
 * pool and the SQLite write queue, and the JVM. Aggregates only: no series names a device.
 *
 * <p>Figures read from the database are taken at most once per {@link #DATABASE_SNAPSHOT_TTL}, on
 * the scraping thread, so a scrape costs a few grouped queries however often it comes.
 */
public final class ServerMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(ServerMetrics.class);

  /** How long counts read from the database are reused between scrapes. */
  public static final Duration DATABASE_SNAPSHOT_TTL = Duration.ofSeconds(15);

  private final PrometheusMeterRegistry registry;
  private final Clock clock;

  /** What the JVM meters registered and must release on close (GC notification listeners). */
  private final java.util.List<AutoCloseable> jvmBinders =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public ServerMetrics(Clock clock) {
    this.clock = clock;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * Binds the JVM and system meters (memory, threads, classes, processor, uptime, GC). Called once
   * the server listens: they load JMX and {@code java.lang.management} classes (about 170, see
   * BENCHMARKS.md) that the first request does not need.
   */
  public void bindJvm() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // Registers GC notification listeners; it is closed with the server.
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    jvmBinders.add(gc);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * Wraps a route's handler so that each exchange is timed into {@code
   * http_server_requests_seconds{method,route,status}} when it completes (the route is the path
   * template, never the concrete path: controller ids stay out of the series).
   */
  public HttpHandler instrument(String method, String route, HttpHandler next) {
    Map<Integer, Timer> byStatus = new ConcurrentHashMap<>();
    return exchange -> {
      long start = System.nanoTime();
      exchange.addExchangeCompleteListener(
          (done, nextListener) -> {
            try {
              int status = done.getStatusCode();
              byStatus
                  .computeIfAbsent(status, s -> requestTimer(method, route, s))
                  .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            } finally {
              nextListener.proceed();
            }
          });
      next.handleRequest(exchange);
    };
  }

  private Timer requestTimer(String method, String route, int status) {
    return Timer.builder("http.server.requests")
        .description("HTTP requests by route template and status")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .register(registry);
  }

  /** Poll cache hits, misses and size. */
  public void bindPollCache(PollCache cache) {
    FunctionCounter.builder("sluice.ddi.poll.cache", cache, PollCache::hits)
        .description("device polls answered from the poll cache")
        .tag("result", "hit")
        .register(registry);
    FunctionCounter.builder("sluice.ddi.poll.cache", cache, PollCache::misses)
        .description("device polls answered from the poll cache")
        .tag("result", "miss")
        .register(registry);
    Gauge.builder("sluice.ddi.poll.cache.entries", cache, PollCache::size)
        .description("answers held by the poll cache")
        .strongReference(true)
        .register(registry);
  }

  /** Devices, actions and rollouts by state, and the log's sequencing backlog. */
  public void bindFleet(FleetStatistics statistics) {
    Snapshot<Map<String, Long>> devices = new Snapshot<>(statistics::devicesByStatus, Map.of());
    for (DeviceStatus s : DeviceStatus.values()) {
      String name = s.name().toLowerCase(Locale.ROOT);
      Gauge.builder("sluice.devices", devices, d -> d.get().getOrDefault(name, 0L))
          .description("registered devices by status")
          .tag("status", name)
          .strongReference(true)
          .register(registry);
    }
    Snapshot<Map<String, Long>> actions = new Snapshot<>(statistics::actionsByStatus, Map.of());
    for (ActionStatus s : ActionStatus.values()) {
      String name = s.name().toLowerCase(Locale.ROOT);
      Gauge.builder("sluice.ddi.actions", actions, a -> a.get().getOrDefault(name, 0L))
          .description("device actions by status")
          .tag("status", name)
          .strongReference(true)
          .register(registry);
    }
    Snapshot<Map<String, Long>> rollouts = new Snapshot<>(statistics::rolloutsByState, Map.of());
    for (RolloutState s : RolloutState.values()) {
      String name = s.wireName();
      Gauge.builder("sluice.rollouts", rollouts, r -> r.get().getOrDefault(name, 0L))
          .description("rollouts by state")
          .tag("state", name)
          .strongReference(true)
          .register(registry);
    }
    Snapshot<Long> pending = new Snapshot<>(statistics::pendingLogEntries, 0L);
    Gauge.builder("sluice.log.pending.entries", pending, p -> p.get())
        .description("log entries appended but not yet sequenced (the sequencing backlog)")
        .strongReference(true)
        .register(registry);
  }

  /** The size of the newest signed checkpoint. */
  public void bindLog(TransparencyLog log) {
    Gauge.builder("sluice.log.size", log, l -> l.latestCheckpoint().checkpoint().size())
        .description("entries in the transparency log's newest checkpoint")
        .strongReference(true)
        .register(registry);
  }

  /**
   * Seconds until each TUF role's newest metadata expires (the supplier answers null while there is
   * no root yet) ({@code role} is {@code root}, {@code timestamp}, {@code snapshot}, {@code
   * targets} or a product's role). Roles appear as they are created; an alert on a small value
   * catches a re-signing job that stopped or an offline role whose holder has not signed.
   */
  public void bindTuf(Supplier<TufStatus> status) {
    Snapshot<TufStatus> snapshot = new Snapshot<>(status, null);
    Map<String, Boolean> registered = new ConcurrentHashMap<>();
    Gauge.builder(
            "sluice.tuf.roles",
            snapshot,
            s -> {
              TufStatus current = s.get();
              if (current == null) {
                return 0;
              }
              for (TufStatus.RoleStatus role : current.roles()) {
                registered.computeIfAbsent(
                    role.role(),
                    name -> {
                      Gauge.builder(
                              "sluice.tuf.expiry.seconds",
                              snapshot,
                              s2 -> secondsToExpiry(s2.get(), name))
                          .description("seconds until the role's newest metadata expires")
                          .tag("role", name)
                          .strongReference(true)
                          .register(registry);
                      return true;
                    });
              }
              return current.roles().size();
            })
        .description("TUF roles with signed metadata")
        .strongReference(true)
        .register(registry);
  }

  private double secondsToExpiry(TufStatus status, String role) {
    if (status == null) {
      return Double.NaN;
    }
    return status.roles().stream()
        .filter(r -> r.role().equals(role))
        .findFirst()
        .map(r -> (double) Duration.between(clock.instant(), r.expires()).toSeconds())
        .orElse(Double.NaN);
  }

  /** The database connection pool and the SQLite writer queue. */
  public void bindDatabase(Database database) {
    database.bindMetrics(registry);
  }

  public void close() {
    for (AutoCloseable binder : jvmBinders) {
      try {
        binder.close();
      } catch (Exception e) {
        LOG.warn("closing a JVM meter binder failed", e);
      }
    }
    registry.close();
  }

  /**
   * A value read from the database at most once per {@link #DATABASE_SNAPSHOT_TTL}; a failed read
   * keeps the previous value (and is logged), so a scrape never fails because the database is busy.
   */
  private final class Snapshot<T> {
    private final Supplier<T> source;
    private T value;
    private Optional<Instant> readAt = Optional.empty();

    Snapshot(Supplier<T> source, T initial) {
      this.source = source;
      this.value = initial;
    }

    synchronized T get() {
      Instant now = clock.instant();
      if (readAt.isEmpty() || !readAt.get().plus(DATABASE_SNAPSHOT_TTL).isAfter(now)) {
        readAt = Optional.of(now);
        try {
          value = source.get();
        } catch (RuntimeException e) {
          LOG.warn("a metric could not be read from the database: {}", e.getMessage());
        }
      }
      return value;
    }
  }
}
