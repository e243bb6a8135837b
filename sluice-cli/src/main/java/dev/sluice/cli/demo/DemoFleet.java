package dev.sluice.cli.demo;

import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.cli.fleet.FleetProgress;
import dev.sluice.cli.fleet.FleetSettings;
import dev.sluice.cli.fleet.FleetSimulator;
import dev.sluice.cli.fleet.FleetSummary;
import dev.sluice.cli.fleet.SimulatedDevice;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's fleet: a {@link FleetSimulator} (scheduled devices, real DDI over HTTP) running in the
 * background while the story goes on, with its latest progress at hand.
 */
final class DemoFleet implements AutoCloseable {
  private final FleetSimulator simulator;
  private final AtomicReference<FleetProgress> latest = new AtomicReference<>();
  private final FutureTask<FleetSummary> run;

  private DemoFleet(FleetSettings settings, List<SimulatedDevice> devices) {
    this.simulator = new FleetSimulator(settings, devices);
    this.run = new FutureTask<>(() -> simulator.run(latest::set));
  }

  /** Starts the devices; they poll until {@link #stop()}. */
  static DemoFleet start(FleetSettings settings, List<SimulatedDevice> devices) {
    DemoFleet fleet = new DemoFleet(settings, devices);
    Thread.ofPlatform().name("sluice-demo-fleet").daemon().start(fleet.run);
    return fleet;
  }

  /** The latest progress (about once a second), if there is one yet. */
  Optional<FleetProgress> progress() {
    return Optional.ofNullable(latest.get());
  }

  /** Waits until the devices have made {@code polls} polls between them. */
  void awaitPolls(long polls, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (progress().map(FleetProgress::polls).orElse(0L) < polls) {
      if (run.isDone() || System.nanoTime() - deadline > 0) {
        throw new CommandFailedException(
            "the simulated devices made fewer than " + polls + " polls within " + limit);
      }
      Thread.sleep(100);
    }
  }

  /** Stops the devices and returns what they did. */
  FleetSummary stop() throws InterruptedException {
    simulator.stop();
    try {
      return run.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new CommandFailedException("the simulated fleet failed: " + e.getCause());
    } catch (TimeoutException e) {
      throw new CommandFailedException("the simulated fleet did not stop within 30 s");
    }
  }

  @Override
  public void close() {
    simulator.close();
  }
}
