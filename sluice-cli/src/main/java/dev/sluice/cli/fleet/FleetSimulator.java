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
 * Runs a fleet of simulated DDI devices against a Sluice (or any hawkBit DDI) server. Devices hold
 * no threads: a {@link PollSchedule} knows when each one next wakes, and {@link
 * FleetSettings#concurrency()} worker virtual threads take the devices that are due and run their
 * cycles ({@link SimulatedDeviceCycle}), so at most that many requests are in flight, each on a
 * kept HTTP/1.1 connection of its own ({@link Http1Connections}). Used by {@code sluice fleet
 * simulate}, by the demo in-process, and by the fleet benchmarks.
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
  private final Http1Connections connections;

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
    this.connections =
        new Http1Connections(settings.server(), settings.concurrency(), Duration.ofSeconds(30));
  }

  /**
   * Runs the fleet until the settings' duration passes, until every device is done (with {@link
   * FleetSettings#untilDone()}), or until {@link #stop()}; reports progress about once a second.
   */
  public FleetSummary run(Consumer<FleetProgress> progress) throws InterruptedException {
    long cpuAtStart = processCpuNanos();
    FleetStats stats = new FleetStats(System.nanoTime());
    Semaphore inFlight = new Semaphore(settings.concurrency());
    SimulatedDeviceCycle.Fleet fleet =
        new SimulatedDeviceCycle.Fleet(
            new DdiClient(
                http, connections, settings.server(), settings.tenant(), inFlight, stop, stats),
            stats,
            settings,
            finishedDevices::incrementAndGet);
    SimulatedDeviceCycle[] cycles = new SimulatedDeviceCycle[devices.size()];
    long[] firstWakes = new long[cycles.length];
    for (int i = 0; i < cycles.length; i++) {
      cycles[i] = new SimulatedDeviceCycle(fleet, devices.get(i));
      firstWakes[i] = cycles[i].firstWake().toNanos();
    }
    // The run starts once the fleet is built (seconds for a million devices), so that the first
    // wake-ups are not already late and the rate is that of the running fleet.
    long start = System.nanoTime();
    stats.startAt(start);
    PollSchedule schedule = new PollSchedule();
    for (int i = 0; i < cycles.length; i++) {
      schedule.wakeAt(i, start + firstWakes[i]);
    }
    FleetSummary.Stop reason;
    long stoppedAt;
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < settings.concurrency(); w++) {
        workers.execute(() -> work(schedule, cycles, stats));
      }
      reason = watch(stats, start, progress);
      stoppedAt = System.nanoTime();
      stop.stop();
      // Interrupting the workers ends their waits and abandons requests in flight: a stopped fleet
      // sends nothing more.
      workers.shutdownNow();
      if (!workers.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
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

  /**
   * One worker: takes the next device that is due, runs its cycle and puts it back on the schedule
   * for its next wake-up, until the fleet stops.
   */
  private void work(PollSchedule schedule, SimulatedDeviceCycle[] cycles, FleetStats stats) {
    try {
      while (!stop.stopped()) {
        PollSchedule.Due due = schedule.next();
        if (stop.stopped()) {
          return;
        }
        stats.woke(due.lateNanos(System.nanoTime()));
        Duration wait = cycles[due.index()].cycle();
        schedule.wakeAt(due.index(), System.nanoTime() + wait.toNanos());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** CPU time this JVM has used, or -1 where the platform does not say. */
  private static long processCpuNanos() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
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
    connections.close();
    http.shutdownNow();
  }
}
