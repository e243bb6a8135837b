package dev.sluice.cli.fleet;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs a fleet of simulated DDI devices against a Sluice (or any hawkBit DDI) server: one virtual
 * thread per device ({@link SimulatedDeviceLoop}), one shared HTTP/1.1 client with keep-alive, and
 * at most {@link FleetSettings#concurrency()} requests in flight. Used by {@code sluice fleet
 * simulate}, by the demo in-process, and by the poll benchmark.
 *
 * <pre>{@code
 * try (FleetSimulator fleet = new FleetSimulator(settings, devices)) {
 *   FleetSummary summary = fleet.run(progress -> System.err.println(progress.line()));
 * }
 * }</pre>
 *
 * {@link #stop()} (from another thread, e.g. on Ctrl-C) ends {@link #run} early; it still returns
 * the summary.
 */
public final class FleetSimulator implements AutoCloseable {
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final FleetSettings settings;
  private final List<SimulatedDevice> devices;
  private final StopSignal stop = new StopSignal();
  private final AtomicInteger finishedDevices = new AtomicInteger();
  private final HttpClient http;

  public FleetSimulator(FleetSettings settings, List<SimulatedDevice> devices) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.devices = List.copyOf(devices);
    if (this.devices.isEmpty()) {
      throw new IllegalArgumentException("a fleet has at least one device");
    }
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /**
   * Runs the fleet until the settings' duration passes, until every device is done (with {@link
   * FleetSettings#untilDone()}), or until {@link #stop()}; reports progress about once a second.
   */
  public FleetSummary run(Consumer<FleetProgress> progress) throws InterruptedException {
    long start = System.nanoTime();
    long cpuAtStart = processCpuNanos();
    FleetStats stats = new FleetStats(start);
    Semaphore inFlight = new Semaphore(settings.concurrency());
    DdiClient ddi =
        new DdiClient(http, settings.server(), settings.tenant(), inFlight, stop, stats);
    FleetSummary.Stop reason;
    long stoppedAt;
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (SimulatedDevice device : devices) {
        threads.execute(
            new SimulatedDeviceLoop(
                device, ddi, stats, settings, stop, finishedDevices::incrementAndGet));
      }
      reason = watch(stats, start, progress);
      stoppedAt = System.nanoTime();
      stop.stop();
      drain(inFlight);
      // Interrupting the device threads ends their sleeps and abandons requests in flight: a
      // stopped fleet sends nothing more.
      threads.shutdownNow();
      if (!threads.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("simulated devices did not stop within " + GRACE);
      }
    }
    long end = stoppedAt;
    boolean worthALine = stats.nanosSinceSample(end) >= PROGRESS_EVERY.toNanos() / 2;
    FleetProgress last = stats.sample(end, start); // also folds the last latencies into the totals
    if (worthALine) {
      progress.accept(last);
    }
    double interval = settings.pollOverride().map(p -> p.toNanos() / 1e9).orElse(Double.NaN);
    long cpu = processCpuNanos() - cpuAtStart;
    return new FleetSummary(
        devices.size(),
        Duration.ofNanos(end - start),
        reason,
        Double.isNaN(interval) ? 0 : devices.size() / interval,
        stats.totals(),
        cpuAtStart < 0 ? Duration.ZERO : Duration.ofNanos(cpu));
  }

  /** CPU time this JVM has used, or -1 where the platform does not say. */
  private static long processCpuNanos() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /**
   * Lets every device waiting for a request slot have one, so that it sees the stop and leaves.
   * Interrupting tens of thousands of waiters instead would cost each one a scan of the queue.
   */
  private static void drain(Semaphore inFlight) throws InterruptedException {
    inFlight.release(Integer.MAX_VALUE / 2);
    long deadline = System.nanoTime() + GRACE.toNanos();
    while (inFlight.hasQueuedThreads() && System.nanoTime() - deadline < 0) {
      Thread.sleep(10);
    }
  }

  private FleetSummary.Stop watch(FleetStats stats, long start, Consumer<FleetProgress> progress)
      throws InterruptedException {
    long deadline = settings.duration().map(d -> start + d.toNanos()).orElse(Long.MAX_VALUE);
    while (true) {
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        return FleetSummary.Stop.DURATION;
      }
      Duration wait = PROGRESS_EVERY;
      if (deadline != Long.MAX_VALUE && deadline - now < wait.toNanos()) {
        wait = Duration.ofNanos(deadline - now);
      }
      if (stop.await(wait)) {
        return FleetSummary.Stop.STOPPED;
      }
      if (settings.untilDone() && done(stats)) {
        return FleetSummary.Stop.DONE;
      }
      progress.accept(stats.sample(System.nanoTime(), start));
    }
  }

  private boolean done(FleetStats stats) {
    return finishedDevices.get() == devices.size() && stats.inProgress() == 0;
  }

  /** Ends {@link #run} early: devices stop polling and it returns the summary. */
  public void stop() {
    stop.stop();
  }

  @Override
  public void close() {
    stop.stop();
    http.shutdownNow();
  }
}
